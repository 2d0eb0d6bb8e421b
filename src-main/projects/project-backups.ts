import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ProjectBackupSchema, ProjectSchema, type Project, type ProjectBackup } from '../../src-shared/contract/project.ts';
import { StrataError } from '../strata-error.ts';
import { writeFileAtomic } from './atomic-write.ts';
import { strataConfigDir } from './project-config-dir.ts';
import { checkWritableJson, readGuardedJson } from './project-json-guard.ts';
import { migrateProject } from './project-migrations.ts';

/**
 * Autosave backups of unsaved edits: `<config>/backups/<key>.json`, one per project file
 * (the key is a hash of its absolute path) and one for a project never saved (`untitled`).
 * Written atomically, so a crash while autosaving leaves the previous backup; deleted when
 * the project is saved or the person discards the edits. A backup that cannot be read is
 * left on disk untouched (it may be the only copy of someone's work) and skipped.
 */
const BackupFileSchema = z.object({
  kind: z.literal('strata-backup'),
  backupVersion: z.literal(1),
}).and(ProjectBackupSchema);

export function backupsDir(): string {
  return path.join(strataConfigDir(), 'backups');
}

/** The backup file of a project path (null: the never-saved project). */
export function backupFileFor(projectPath: string | null): string {
  const key = projectPath === null ? 'untitled' : createHash('sha256').update(path.resolve(projectPath)).digest('hex').slice(0, 24);
  return path.join(backupsDir(), `${key}.json`);
}

/** Autosaves `project` (unsaved edits of `projectPath`) and returns the backup file. */
export function writeBackup(projectPath: string | null, project: Project, now: Date = new Date()): { file: string; savedAt: string } {
  const file = backupFileFor(projectPath);
  const savedAt = now.toISOString();
  const backup = { kind: 'strata-backup' as const, backupVersion: 1 as const, projectPath: projectPath === null ? null : path.resolve(projectPath), savedAt, project: ProjectSchema.parse(project) };
  const text = `${JSON.stringify(backup)}\n`;
  checkWritableJson(text, backup, file, 'autosave backup');
  writeFileAtomic(file, text);
  return { file, savedAt };
}

/** Reads one backup file; throws a StrataError naming it when it is not a readable backup. */
export function readBackup(file: string): ProjectBackup {
  const raw = readGuardedJson(file, 'autosave backup');
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || (raw as { kind?: unknown }).kind !== 'strata-backup') {
    throw new StrataError('BAD_BACKUP', `${file} is not a Strata autosave backup (no "kind": "strata-backup").`);
  }
  const record = raw as Record<string, unknown>;
  const inner = record.project;
  // The edits inside may be of an older project version, from an older Strata.
  const project = typeof inner === 'object' && inner !== null && !Array.isArray(inner)
    ? migrateProject(`${file} (its project)`, inner as Record<string, unknown>).project : inner;
  const parsed = BackupFileSchema.safeParse({ ...record, project });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new StrataError('BAD_BACKUP', `${file} is not a valid autosave backup: ${issue?.path.join('.') || '(top level)'}: ${issue?.message}.`, parsed.error.issues);
  }
  const { projectPath, savedAt, project: edits } = parsed.data;
  return { projectPath, savedAt, project: edits };
}

/**
 * The newest backup waiting to be offered, or null. Unreadable ones are skipped (and said
 * so in `skipped`), never deleted.
 */
export function pendingBackup(): { backup: ProjectBackup | null; skipped: string[] } {
  const dir = backupsDir();
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => n.endsWith('.json') && !n.startsWith('.'));
  } catch {
    return { backup: null, skipped: [] };
  }
  const skipped: string[] = [];
  let newest: ProjectBackup | null = null;
  for (const name of names) {
    try {
      const backup = readBackup(path.join(dir, name));
      if (!newest || backup.savedAt > newest.savedAt) newest = backup;
    } catch (err) {
      skipped.push(err instanceof Error ? err.message : String(err));
    }
  }
  return { backup: newest, skipped };
}

/** Deletes the backup of `projectPath` (after a save, or when the person discards it). */
export function discardBackup(projectPath: string | null): boolean {
  const file = backupFileFor(projectPath);
  if (!fs.existsSync(file)) return false;
  fs.rmSync(file, { force: true });
  return true;
}
