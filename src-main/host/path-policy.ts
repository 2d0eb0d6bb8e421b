import fs from 'node:fs';
import path from 'node:path';
import type { CommandName } from '../../src-shared/contract/commands.ts';
import type { StreamName } from '../../src-shared/contract/streams.ts';
import { StrataError } from '../strata-error.ts';
import type { RouteGuard } from './router.ts';
import { createStudioRouter, type StudioOptions } from './studio-router.ts';

/**
 * Where a path sits in a command's (parsed) arguments: dotted keys, `[]` for each element of
 * an array. `base` names the field a relative path is relative to (as the services resolve
 * it: a labels CSV or a live-saliency probe relative to the data folder); without it a
 * relative path is relative to the host's working folder, as `path.resolve` reads it.
 */
export interface PathField {
  at: string;
  base?: string;
}

const DATA = [{ at: 'data.path' }, { at: 'data.labels.csv', base: 'data.path' }] as const;
const TRAINING = [{ at: 'training.liveSaliency.probes[]', base: 'data.path' }] as const;

/**
 * Every command and stream of the public contract → the argument fields that name a file or
 * folder on the host. A command missing here does not compile; a path-like field missing
 * here fails path-policy.test.ts, which walks the zod schemas. Run ids are not paths: the
 * run hub only takes plain names and looks them up in runs folders it already knows.
 */
export const PATH_FIELDS: Record<CommandName | StreamName, readonly PathField[]> = {
  'engine.doctor': [],
  'templates.list': [],
  'templates.get': [],
  'fs.list': [{ at: 'path' }],
  'model.import': [{ at: 'path' }],
  // The block library lives in the config folder; these commands take a name, never a path.
  'library.blocks': [],
  'library.saveBlock': [],
  'dialog.openFolder': [],
  'dataset.scan': [{ at: 'path' }, { at: 'labelsCsv', base: 'path' }],
  'dataset.health': DATA,
  'dataset.shape': DATA,
  'dataset.augmentPreview': DATA,
  'project.open': [{ at: 'path' }],
  // A saved project's own data and weights paths are only text until something opens them,
  // and every command that reads them is checked here.
  'project.save': [{ at: 'path' }],
  'train.start': [...DATA, ...TRAINING, { at: 'runsDir' }, { at: 'initialWeights' }],
  'train.stop': [],
  'train.pause': [],
  'train.resume': [],
  'runs.list': [{ at: 'runsDir' }],
  'runs.details': [],
  'runs.update': [],
  'runs.delete': [],
  'sweep.start': [...DATA, ...TRAINING, { at: 'runsDir' }],
  'sweep.status': [],
  'sweep.stop': [],
  'run.samples': [],
  'explain.run': [{ at: 'input.path' }],
  'explain.sanity': [{ at: 'input.path' }],
  'explain.features': [],
  'evaluate.run': [{ at: 'source.path' }],
  'evaluate.examples': [{ at: 'source.path' }],
  'export.run': [{ at: 'out' }],
  'train.events': [],
  'gan.start': [...DATA, { at: 'runsDir' }],
  'gan.stop': [],
  'gan.runs': [{ at: 'runsDir' }],
  'gan.generate': [{ at: 'out' }],
  'gan.events': [],
  // The backup is kept in the config folder under a name made from `path`; checked all the
  // same, since a restored backup is saved back to it.
  'project.backup': [{ at: 'path' }],
  'project.pendingBackup': [],
  'project.discardBackup': [{ at: 'path' }],
  'projects.recent': [],
  'dialog.openProject': [],
  'dialog.saveProject': [{ at: 'defaultPath' }],
};

/**
 * Path-like fields a command stores but does not read or write: a project's own data and
 * weights paths are text inside the project until a command that opens them is checked.
 */
export const STORED_NOT_OPENED: Partial<Record<CommandName, RegExp>> = {
  'project.save': /^project\./,
  'project.backup': /^project\./,
};

/** The strings found at one field pointer (none when an optional part is absent or another union branch). */
export function valuesAt(args: unknown, at: string): string[] {
  let current: unknown[] = [args];
  for (const key of at.split('.')) {
    const each = key.endsWith('[]');
    const name = each ? key.slice(0, -2) : key;
    current = current.flatMap((v) => {
      if (v === null || typeof v !== 'object' || !Object.hasOwn(v, name)) return [];
      const next: unknown = (v as Record<string, unknown>)[name];
      return each ? (Array.isArray(next) ? next : []) : [next];
    });
  }
  return current.filter((v): v is string => typeof v === 'string');
}

/**
 * Where `p` really leads, segment by segment as the OS walks it: a symlink is followed
 * before a later `..` applies (a lexical `path.resolve` would apply `..` first and miss a
 * symlink out of a root), a dangling symlink is followed to its target (writing through it
 * would create the target), and the part of a path not yet made is appended as written.
 */
function realPathOf(p: string, depth = 0): string {
  // Not path.resolve: it would drop a `..` lexically before the symlink ahead of it is seen.
  const raw = path.isAbsolute(p) ? p : `${process.cwd()}${path.sep}${p}`;
  const parts = raw.slice(path.parse(raw).root.length).split(/[\\/]+/).filter((s) => s !== '' && s !== '.');
  let real = fs.realpathSync.native(path.parse(raw).root);
  for (let i = 0; i < parts.length; i++) {
    const segment = parts[i]!;
    if (segment === '..') { real = path.dirname(real); continue; }
    const next = path.join(real, segment);
    try {
      real = fs.realpathSync.native(next);
    } catch {
      const link = fs.lstatSync(next, { throwIfNoEntry: false });
      if (link?.isSymbolicLink() && depth < 40) {
        return realPathOf([path.resolve(real, fs.readlinkSync(next)), ...parts.slice(i + 1)].join(path.sep), depth + 1);
      }
      return path.resolve(next, ...parts.slice(i + 1));
    }
  }
  return real;
}

function isInside(child: string, root: string): boolean {
  const rel = path.relative(root, child);
  return rel === '' || (!rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel));
}

/**
 * The web host's file access: a browser holding the token may name only files and folders
 * inside the allowed roots — the `--root` folders (default: where `strata serve` started)
 * and the runs folder. Paths are compared by real path, so neither `..` nor a symlink inside
 * a root leads out of it. Nothing is added while serving: every path a browser "opens"
 * is one it sent, so letting an open widen the roots would let it name any file.
 */
export class PathPolicy {
  readonly roots: readonly string[];

  constructor(roots: readonly string[]) {
    if (roots.length === 0) throw new Error('a path policy needs at least one root');
    this.roots = [...new Set(roots.map((r) => realPathOf(r)))];
  }

  allows(p: string): boolean {
    if (p.includes('\0')) return false; // no file has such a name; fs calls would throw on it
    const real = realPathOf(p);
    return this.roots.some((root) => isInside(real, root));
  }

  /** Throws FORBIDDEN_PATH, naming the field and the path, unless `p` lies inside a root. */
  check(p: string, field: string): void {
    if (this.allows(p)) return;
    throw new StrataError('FORBIDDEN_PATH',
      `${field} "${p}" is outside the folders this web host may use (${this.roots.join(', ')}). ` +
      'To allow it, restart strata serve with --root <a folder that contains it>.',
      { field, path: p, roots: this.roots });
  }

  /** Checks every path field of one command's parsed arguments. */
  checkArgs(name: string, args: unknown): void {
    const fields = (PATH_FIELDS as Record<string, readonly PathField[] | undefined>)[name];
    if (!fields) throw new StrataError('FORBIDDEN_PATH', `"${name}" has no entry in the web host's path policy, so it is refused.`);
    for (const field of fields) {
      const bases = field.base ? valuesAt(args, field.base) : [];
      for (const value of valuesAt(args, field.at)) {
        this.check(bases.length > 0 ? path.resolve(bases[0]!, value) : value, field.at);
      }
    }
  }

  /**
   * As a router guard: refuses arguments outside the roots; a listing of a root offers no
   * way up, and the recent projects (shared with the desktop app) show only those inside.
   */
  get guard(): RouteGuard {
    return {
      args: (name, args) => this.checkArgs(name, args),
      result: (name, result) => {
        if (name === 'projects.recent' && Array.isArray(result)) {
          return result.filter((r: unknown) => r !== null && typeof r === 'object' && 'path' in r && typeof r.path === 'string' && this.allows(r.path));
        }
        if (name !== 'fs.list' || result === null || typeof result !== 'object' || !('parent' in result) || !('path' in result)) return result;
        // A listing asked for with no folder opens in the start folder: refused unless inside, too.
        if (typeof result.path === 'string') this.check(result.path, 'path');
        const parent = result.parent;
        return typeof parent === 'string' && !this.allows(parent) ? { ...result, parent: null } : result;
      },
    };
  }
}

/** The studio's router as the web host serves it: every path inside the policy's roots, the chooser opening in the first. */
export function createWebStudioRouter(opts: StudioOptions, policy: PathPolicy) {
  return createStudioRouter({ ...opts, startFolder: policy.roots[0] }).guard(policy.guard);
}
