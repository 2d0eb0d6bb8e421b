import { PROJECT_VERSION } from '../../src-shared/contract/project.ts';
import { StrataError } from '../strata-error.ts';

/**
 * Named, ordered steps that bring an older project file up to PROJECT_VERSION (the
 * tldraw/Keras habit: old files keep loading). A step receives the parsed JSON of version
 * `from` and returns the JSON of version `to`; it must not mutate its input, and it runs
 * before zod validates, so it sees the file as it was written.
 *
 * To change the project format: bump PROJECT_VERSION in src-shared/contract/project.ts
 * and append a step here whose `from` is the old version — e.g.
 * `{ from: 1, to: 2, name: 'RenameLrToLearningRate', migrate: (p) => ({ ...p, … }) }`.
 * Version 1 is the first format ever written, so the list is empty today.
 */
export interface ProjectMigration {
  from: number;
  to: number;
  /** Says what changed, for messages and the test report (`AddDropoutRate`). */
  name: string;
  migrate(project: Readonly<Record<string, unknown>>): Record<string, unknown>;
}

export const PROJECT_MIGRATIONS: readonly ProjectMigration[] = [];

/**
 * Brings a parsed project object from its `schemaVersion` to `target` by running each step
 * in turn. Refuses a version newer than `target` (a newer Strata wrote it: reading it would
 * drop what this one does not know), a version that is not a whole number ≥ 1, and a gap in
 * the chain — always before anything is returned, so a file is never half-read.
 */
export function migrateProject(
  file: string, raw: Record<string, unknown>,
  migrations: readonly ProjectMigration[] = PROJECT_MIGRATIONS, target: number = PROJECT_VERSION,
): { project: Record<string, unknown>; applied: string[] } {
  const version = raw.schemaVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new StrataError('BAD_PROJECT', `${file} has no valid "schemaVersion" (found ${JSON.stringify(version) ?? 'nothing'}); a Strata project has a whole number ≥ 1 there. Save the project again from Strata, or fix the field.`);
  }
  if (version > target) {
    throw new StrataError('PROJECT_TOO_NEW', `${file} was written by a newer Strata (project version ${version}; this one reads up to ${target}). Update Strata to open it; the file was not changed.`);
  }
  let project = raw;
  const applied: string[] = [];
  for (let at = version; at < target;) {
    const step = migrations.find((m) => m.from === at);
    if (!step || step.to <= at) {
      throw new StrataError('PROJECT_NO_MIGRATION', `${file} is project version ${at}, and this Strata has no step from version ${at} to ${target}. Open it with the Strata that wrote it and save it again.`);
    }
    try {
      project = { ...step.migrate(project), schemaVersion: step.to };
    } catch (err) {
      throw new StrataError('BAD_PROJECT', `${file} could not be brought from project version ${at} to ${step.to} (${step.name}): ${err instanceof Error ? err.message : String(err)}. The file was not changed.`);
    }
    applied.push(step.name);
    at = step.to;
  }
  return { project, applied };
}
