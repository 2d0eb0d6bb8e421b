import type { DataConfig } from '../../src-shared/contract/data-config.ts';
import type { GanProjectSettings } from '../../src-shared/contract/gan.ts';
import { PROJECT_VERSION, type Project, type TrainingConfig } from '../../src-shared/contract/project.ts';
import type { ModelSpec } from '../../src-shared/spec/model-spec.ts';

/**
 * The window's project as a document: what goes into a project file, whether the window
 * holds changes the file does not, and the file names and paths the top bar shows. Pure.
 */

/** The parts of the editor that a project file holds (the scan and selection are not). */
export interface ProjectContent {
  projectName: string;
  spec: ModelSpec;
  data: DataConfig | null;
  training: TrainingConfig;
  /** An imported model's weights folder that training starts from (transfer learning), or null. */
  weights: string | null;
  /** A GAN project's settings (then `spec` is the joined generator + discriminator canvas); null: a classifier project. */
  gan: GanProjectSettings | null;
}

export const UNTITLED = 'Untitled project';
export const PROJECT_SUFFIX = '.strata.json';

/** The `project.save` payload for what the window holds. */
export function toProjectFile(content: ProjectContent): Project {
  return {
    schemaVersion: PROJECT_VERSION,
    kind: 'strata-project',
    name: content.projectName.trim() || UNTITLED,
    model: content.spec,
    data: content.data,
    training: content.training,
    weights: content.weights,
    gan: content.gan,
  };
}

/** What an opened project puts into the editor. */
export function contentFromProject(project: Project): ProjectContent {
  return { projectName: project.name, spec: project.model, data: project.data, training: project.training, weights: project.weights, gan: project.gan };
}

/**
 * Whether two contents would write the same file. Same objects short-cut; otherwise the
 * values are compared, so an edit that is undone, or a rescan that rebuilds an equal data
 * config, does not leave the project marked as changed.
 */
export function sameContent(a: ProjectContent, b: ProjectContent): boolean {
  return a.projectName === b.projectName
    && sameValue(a.spec, b.spec)
    && sameValue(a.data, b.data)
    && sameValue(a.training, b.training)
    && a.weights === b.weights
    && sameValue(a.gan, b.gan);
}

const keyCache = new WeakMap<object, string>();

function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  return valueKey(a) === valueKey(b);
}

/** A canonical string for a JSON value (object keys sorted); cached per object, since state is immutable. */
export function valueKey(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined';
  const cached = keyCache.get(value);
  if (cached !== undefined) return cached;
  const key = Array.isArray(value)
    ? `[${value.map(valueKey).join(',')}]`
    : `{${Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined).sort()
      .map((k) => `${JSON.stringify(k)}:${valueKey((value as Record<string, unknown>)[k])}`).join(',')}}`;
  keyCache.set(value, key);
  return key;
}

/** `<project name>.strata.json`, with characters no file system accepts replaced. */
export function defaultProjectFileName(projectName: string): string {
  const base = projectName.trim().replace(/\.strata\.json$|\.json$/i, '')
    .replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '-').replace(/^[.\s-]+|[.\s]+$/g, '');
  return `${base || 'project'}${PROJECT_SUFFIX}`;
}

/**
 * Checks a typed file name for "Save as": a bare name (no folders), `.json` added when
 * missing. Returns the name to write, or a reason it cannot be used.
 */
export function checkProjectFileName(typed: string): { name: string } | { error: string } {
  const name = typed.trim();
  if (name === '') return { error: 'Type a file name.' };
  if (/[\\/]/.test(name)) return { error: 'A file name cannot contain / or \\ — choose the folder above.' };
  if (/[:*?"<>|\u0000-\u001f]/.test(name)) return { error: 'A file name cannot contain : * ? " < > |.' };
  if (name === '.' || name === '..') return { error: `"${name}" is not a file name.` };
  return { name: isProjectFileName(name) ? name : `${name}${PROJECT_SUFFIX}` };
}

/** Project files are JSON; the chooser lists `*.json` when it opens one. */
export function isProjectFileName(name: string): boolean {
  return /\.json$/i.test(name);
}

/** The folder and file name of a path, POSIX or Windows, as main reports it. */
export function splitPath(path: string): { dir: string; base: string } {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  if (cut < 0) return { dir: '', base: path };
  const dir = path.slice(0, cut);
  // Keep the root a root: "/x" → "/", "C:\\x" → "C:\\".
  return { dir: dir === '' || /^[A-Za-z]:$/.test(dir) ? path.slice(0, cut + 1) : dir, base: path.slice(cut + 1) };
}

/**
 * A path short enough for the top bar: the file name always stays whole; the folders are
 * cut from the middle ("/home/ana/…/projects/digits.strata.json").
 */
export function shortenPath(path: string, max = 56): string {
  if (path.length <= max) return path;
  const { dir, base } = splitPath(path);
  const sep = path.includes('\\') && !path.includes('/') ? '\\' : '/';
  const room = max - base.length - 2; // "…" and a separator
  if (room < 8) return `…${sep}${base}`;
  const head = Math.ceil(room / 2);
  const tail = room - head;
  return `${dir.slice(0, head)}…${dir.slice(dir.length - tail)}${sep}${base}`;
}

/**
 * Where a saved project's runs go: `runs/` beside its project file (as \`strata train\`
 * does), so runs travel with the project. Unsaved: undefined (the host's own runs folder).
 */
export function runsDirOf(projectPath: string | null): string | undefined {
  if (!projectPath) return undefined;
  const cut = Math.max(projectPath.lastIndexOf('/'), projectPath.lastIndexOf('\\'));
  if (cut < 0) return undefined;
  const sep = projectPath[cut];
  return `${projectPath.slice(0, cut)}${sep}runs`;
}
