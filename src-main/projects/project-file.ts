import fs from 'node:fs';
import path from 'node:path';
import { ProjectSchema, type Project } from '../../src-shared/contract/project.ts';
import { StrataError } from '../strata-error.ts';
import { writeFileAtomic } from './atomic-write.ts';
import { checkWritableJson, readGuardedJson } from './project-json-guard.ts';
import { migrateProject } from './project-migrations.ts';

/** The project file inside a project folder (beside its `runs/` and cache). */
export const PROJECT_FILE_IN_FOLDER = 'project.strata.json';

/**
 * A project is a single `*.strata.json` file (that points at its data), or a folder holding
 * `project.strata.json` with its runs: given a folder, this is the file inside it (which
 * must exist to be read; saving into a folder creates it).
 */
export function resolveProjectPath(file: string, forWriting = false): string {
  const abs = path.resolve(file);
  try {
    if (fs.statSync(abs).isDirectory()) {
      const inside = path.join(abs, PROJECT_FILE_IN_FOLDER);
      if (!forWriting && !fs.existsSync(inside)) {
        throw new StrataError('NOT_A_PROJECT', `${abs} is a folder without ${PROJECT_FILE_IN_FOLDER}, so it is not a Strata project folder. Choose a *.strata.json file or a folder that holds ${PROJECT_FILE_IN_FOLDER}.`);
      }
      return inside;
    }
  } catch (err) {
    if (err instanceof StrataError) throw err;
    // Missing: the reader says so with the file's name.
  }
  return abs;
}

/**
 * Reads a project file (or a project folder's file). The file is checked before it is
 * parsed (size, nesting, string lengths, `__proto__` keys: see project-json-guard), brought
 * from an older project version by the named migrations, and validated as a whole; a newer
 * version than this Strata knows is refused. Anything wrong is a StrataError naming the
 * file — never a half-read project — and reading never writes. The data and weights paths
 * are stored relative to the file (so a project folder can be moved) and returned absolute.
 */
export function readProjectFile(file: string): Project {
  const abs = resolveProjectPath(file);
  const raw = readGuardedJson(abs, 'project file');
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || (raw as { kind?: unknown }).kind !== 'strata-project') {
    throw new StrataError('NOT_A_PROJECT', `${abs} is not a Strata project (no "kind": "strata-project"). Create one with \`strata new\` or save from the window.`);
  }
  const { project: current } = migrateProject(abs, raw as Record<string, unknown>);
  const parsed = ProjectSchema.safeParse(current);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`).join('; ');
    throw new StrataError('BAD_PROJECT', `${abs} is not a valid Strata project: ${issues}.`, parsed.error.issues);
  }
  const project = parsed.data;
  if (project.data) project.data = { ...project.data, path: path.resolve(path.dirname(abs), project.data.path) };
  if (project.weights) project.weights = path.resolve(path.dirname(abs), project.weights);
  return project;
}

/**
 * Writes a project atomically (temp file in the same folder, fsync, rename: a crash leaves
 * the old file or the new, never half of one), storing the data path relative to the
 * project file. Given a project folder, writes its `project.strata.json`. A project that
 * could not be read back (see checkWritableJson) is refused and the old file kept.
 */
export function writeProjectFile(file: string, project: Project): string {
  const abs = resolveProjectPath(file, true);
  const stored: Project = ProjectSchema.parse(project);
  if (stored.data) stored.data = { ...stored.data, path: path.relative(path.dirname(abs), path.resolve(stored.data.path)) || '.' };
  if (stored.weights) stored.weights = path.relative(path.dirname(abs), path.resolve(stored.weights)) || '.';
  const text = `${JSON.stringify(stored, null, 2)}\n`;
  checkWritableJson(text, stored, abs, 'project file');
  writeFileAtomic(abs, text);
  syncFolder(path.dirname(abs));
  removeStaleTempFiles(abs);
  return abs;
}

/**
 * A writer killed between creating its temp file and the rename leaves `.<name>.<pid>.<time>.tmp`
 * beside the project. It is never read as the project (readers open the exact file name);
 * this removes those whose writer process is gone, so they do not pile up.
 */
export function removeStaleTempFiles(projectFile: string): string[] {
  const dir = path.dirname(projectFile);
  const prefix = `.${path.basename(projectFile)}.`;
  const removed: string[] = [];
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = Number(name.slice(prefix.length).split('.')[0]);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || processAlive(pid)) continue;
    fs.rmSync(path.join(dir, name), { force: true });
    removed.push(name);
  }
  return removed;
}

/**
 * The rename is recorded in the folder; fsync of the folder makes it survive a power cut
 * too, not only a killed process. Not every platform can (Windows cannot open a folder for
 * sync), and the file itself is already whole, so a failure here is not an error.
 */
function syncFolder(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // see above
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
