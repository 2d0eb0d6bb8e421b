import fs from 'node:fs';
import path from 'node:path';
import { ProjectSchema, PROJECT_VERSION, type Project } from '../../src-shared/contract/project.ts';
import { StrataError } from '../strata-error.ts';
import { writeFileAtomic } from './atomic-write.ts';

/**
 * Reads a project file. The data and weights paths inside are stored relative to the file (so a project
 * folder can be moved) and returned absolute. Anything that is not a Strata project is
 * refused with a message naming the file, never half-read.
 */
export function readProjectFile(file: string): Project {
  const abs = path.resolve(file);
  if (!fs.existsSync(abs)) throw new StrataError('NOT_FOUND', `${abs} does not exist.`);
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(abs, 'utf8'));
  } catch {
    throw new StrataError('NOT_A_PROJECT', `${abs} is not a Strata project: it is not a JSON file. Pass a project.strata.json made by \`strata new\` or saved from the window.`);
  }
  const obj = raw as { kind?: unknown; schemaVersion?: unknown };
  if (typeof raw !== 'object' || raw === null || obj.kind !== 'strata-project') {
    throw new StrataError('NOT_A_PROJECT', `${abs} is not a Strata project (no "kind": "strata-project"). Create one with \`strata new\` or save from the window.`);
  }
  if (typeof obj.schemaVersion === 'number' && obj.schemaVersion > PROJECT_VERSION) {
    throw new StrataError('PROJECT_TOO_NEW', `${abs} was written by a newer Strata (project version ${obj.schemaVersion}; this one reads up to ${PROJECT_VERSION}). Update Strata to open it.`);
  }
  const parsed = ProjectSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new StrataError('BAD_PROJECT', `${abs} is not a valid Strata project: ${issues}.`, parsed.error.issues);
  }
  const project = parsed.data;
  if (project.data) project.data = { ...project.data, path: path.resolve(path.dirname(abs), project.data.path) };
  if (project.weights) project.weights = path.resolve(path.dirname(abs), project.weights);
  return project;
}

/** Writes a project atomically, storing the data path relative to the project file. */
export function writeProjectFile(file: string, project: Project): string {
  const abs = path.resolve(file);
  const stored: Project = ProjectSchema.parse(project);
  if (stored.data) stored.data = { ...stored.data, path: path.relative(path.dirname(abs), path.resolve(stored.data.path)) || '.' };
  if (stored.weights) stored.weights = path.relative(path.dirname(abs), path.resolve(stored.weights)) || '.';
  writeFileAtomic(abs, `${JSON.stringify(stored, null, 2)}\n`);
  return abs;
}
