import fs from 'node:fs';
import { StrataError } from '../strata-error.ts';
import { formatBytes, jsonNestingDepth } from './import-limits.ts';

/**
 * The bounds a project file (or an autosave backup, or the recent list) must stay within.
 * A project file may come from anywhere — a colleague, a download, a damaged disk — so it
 * is read as hostile data: its size is checked from `stat` before a byte is read, its
 * nesting by a flat scan before anything recurses, and every string and key after parsing,
 * before zod or the window ever sees the value.
 */
export const PROJECT_LIMITS = {
  /** A 1,000-layer graph with its layout is about 1 MB; 32 MB leaves room and still fits in memory. */
  maxBytes: 32 * 1024 * 1024,
  /** Projects nest about 10 deep (model → config → layers → layer → config → initializer); 64 leaves room. */
  maxDepth: 64,
  /** The longest honest string in a project is a path (4 KiB on Linux); 64 KiB leaves room. */
  maxStringChars: 64 * 1024,
} as const;

/** What the file is, for messages: "project file", "autosave backup", … */
export type JsonFileRole = 'project file' | 'autosave backup' | 'recent-projects list';

function refuse(code: string, file: string, role: JsonFileRole, problem: string, fix: string): StrataError {
  return new StrataError(code, `${file} (${role}) ${problem}. ${fix}`);
}

/**
 * Reads and parses a JSON file within PROJECT_LIMITS. Throws a StrataError naming the file,
 * what is wrong and what to do; never writes anything.
 */
export function readGuardedJson(file: string, role: JsonFileRole): unknown {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new StrataError('NOT_FOUND', `${file} does not exist. Check the path; the file may have been moved, renamed or deleted.`);
  }
  if (!stat.isFile()) throw refuse('NOT_A_PROJECT', file, role, 'is not a file', 'Choose a project file (*.strata.json) or a project folder holding project.strata.json');
  if (stat.size > PROJECT_LIMITS.maxBytes) {
    throw refuse('PROJECT_TOO_LARGE', file, role, `is ${formatBytes(stat.size)}, beyond the ${formatBytes(PROJECT_LIMITS.maxBytes)} a project may have`,
      'A project holds a graph and settings, never data or weights; this is not a Strata project (or it was damaged)');
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(fs.readFileSync(file));
  } catch {
    throw refuse('NOT_A_PROJECT', file, role, 'is not UTF-8 text', 'It is a binary file, not a Strata project');
  }
  return parseGuardedJson(text, file, role);
}

/** Parses JSON text within PROJECT_LIMITS (see readGuardedJson). */
export function parseGuardedJson(text: string, file: string, role: JsonFileRole): unknown {
  const { depth, at } = jsonNestingDepth(text, PROJECT_LIMITS.maxDepth);
  if (depth > PROJECT_LIMITS.maxDepth) {
    throw refuse('PROJECT_TOO_DEEP', file, role, `nests arrays and objects more than ${PROJECT_LIMITS.maxDepth} deep (at character ${at})`,
      'No Strata project nests that deeply; the file is damaged or crafted');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw refuse('NOT_A_PROJECT', file, role, `is not valid JSON (${why})`,
      text.trim() === '' ? 'The file is empty' : 'It may have been cut short or edited by hand; open a backup copy, or fix the JSON');
  }
  checkValues(raw, file, role, null);
  return raw;
}

/**
 * Refuses to write what reading would refuse (a 100 K-character name typed in the window,
 * a graph nested past the limit): the file on disk stays as it was, instead of being
 * replaced by one that can never be opened again. `text` is `value` serialised.
 */
export function checkWritableJson(text: string, value: unknown, file: string, role: JsonFileRole): void {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > PROJECT_LIMITS.maxBytes) {
    throw refuse('PROJECT_TOO_LARGE', file, role, `would be ${formatBytes(bytes)}, beyond the ${formatBytes(PROJECT_LIMITS.maxBytes)} a project may have, so it was not written`,
      'Remove what made it so large; the file on disk was not changed');
  }
  const { depth } = jsonNestingDepth(text, PROJECT_LIMITS.maxDepth);
  if (depth > PROJECT_LIMITS.maxDepth) {
    throw refuse('PROJECT_TOO_DEEP', file, role, `would nest more than ${PROJECT_LIMITS.maxDepth} deep, so it was not written`, 'The file on disk was not changed');
  }
  checkValues(value, file, role, 'It was not written; shorten the field (the file on disk was not changed)');
}

/**
 * Walks the parsed value without recursion: refuses over-long strings (a project name of
 * 20 MB would freeze the window) and `__proto__` keys. JSON.parse makes `__proto__` an own
 * property, harmless by itself, but any later `{...spread}` or assignment by key would turn
 * it into a prototype; no Strata file ever has one, so it is refused rather than carried.
 */
function checkValues(root: unknown, file: string, role: JsonFileRole, writing: string | null): void {
  const stack: Array<{ value: unknown; at: string }> = [{ value: root, at: '' }];
  while (stack.length > 0) {
    const { value, at } = stack.pop()!;
    if (typeof value === 'string') {
      if (value.length > PROJECT_LIMITS.maxStringChars) {
        throw refuse('PROJECT_STRING_TOO_LONG', file, role, `has a string of ${value.length.toLocaleString('en')} characters at ${at || 'the top level'} (at most ${PROJECT_LIMITS.maxStringChars.toLocaleString('en')})`,
          writing ?? 'No field of a Strata project is that long; the file is damaged or crafted');
      }
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => stack.push({ value: v, at: `${at}[${i}]` }));
    } else if (value !== null && typeof value === 'object') {
      for (const key of Object.keys(value)) {
        const where = at ? `${at}.${key}` : key;
        if (key === '__proto__') {
          throw refuse('BAD_PROJECT', file, role, `has a "__proto__" key at ${where}`, writing ?? 'Strata never writes one; the file is crafted. Remove the key or use another copy');
        }
        if (key.length > PROJECT_LIMITS.maxStringChars) {
          throw refuse('PROJECT_STRING_TOO_LONG', file, role, `has a key of ${key.length.toLocaleString('en')} characters at ${at || 'the top level'}`, writing ?? 'The file is damaged or crafted');
        }
        stack.push({ value: (value as Record<string, unknown>)[key], at: where });
      }
    }
  }
}
