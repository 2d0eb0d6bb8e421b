import path from 'node:path';
import type { commands } from '../../src-shared/contract/commands.ts';
import type { Project } from '../../src-shared/contract/project.ts';
import type { streams } from '../../src-shared/contract/streams.ts';
import { discardBackup, pendingBackup, writeBackup } from '../projects/project-backups.ts';
import { readProjectFile, resolveProjectPath, writeProjectFile } from '../projects/project-file.ts';
import { addRecentProject, listRecentProjects } from '../projects/project-recent.ts';
import { StrataError } from '../strata-error.ts';
import type { Router } from './router.ts';

/** Native file dialogs; Electron provides them, the web host does not (the window draws a chooser). */
export interface ProjectDialogs {
  openProjectDialog?: (title?: string) => Promise<string | null>;
  saveProjectDialog?: (opts: { title?: string; defaultPath?: string }) => Promise<string | null>;
}

/** Opens a project file (or folder) and puts it at the top of the recent list. */
export function openProject(file: string): { path: string; project: Project } {
  const abs = resolveProjectPath(file);
  const project = readProjectFile(abs);
  rememberRecent(abs, project.name);
  return { path: abs, project };
}

/**
 * Saves a project; once it is on disk its autosave backup is deleted (the file now holds
 * those edits) and it goes to the top of the recent list.
 */
export function saveProject(file: string, project: Project): { path: string } {
  const abs = writeProjectFile(file, project);
  discardBackup(abs);
  rememberRecent(abs, project.name);
  return { path: abs };
}

/** The recent list is a convenience: failing to update it must not fail an open or a save. */
function rememberRecent(file: string, name: string): void {
  try {
    addRecentProject(file, name);
  } catch (err) {
    console.warn(`strata: could not update the recent-projects list: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Registers project.open/save, the autosave backup, recent projects and the project dialogs. */
export function registerProjectCommands(router: Router<typeof commands, typeof streams>, dialogs: ProjectDialogs = {}): void {
  router
    .command('project.open', async ({ path: file }) => openProject(file))
    .command('project.save', async ({ path: file, project }) => saveProject(file, project))
    .command('project.backup', async ({ path: file, project }) => ({ savedAt: writeBackup(file === null ? null : path.resolve(file), project).savedAt }))
    .command('project.pendingBackup', async () => pendingBackup())
    .command('project.discardBackup', async ({ path: file }) => ({ discarded: discardBackup(file === null ? null : path.resolve(file)) }))
    .command('projects.recent', async () => listRecentProjects())
    .command('dialog.openProject', async ({ title }) => {
      if (!dialogs.openProjectDialog) throw new StrataError('NOT_AVAILABLE', 'No native dialog in the web host; use the path chooser.');
      return { path: await dialogs.openProjectDialog(title) };
    })
    .command('dialog.saveProject', async ({ title, defaultPath }) => {
      if (!dialogs.saveProjectDialog) throw new StrataError('NOT_AVAILABLE', 'No native dialog in the web host; use the path chooser.');
      return { path: await dialogs.saveProjectDialog({ ...(title ? { title } : {}), ...(defaultPath ? { defaultPath } : {}) }) };
    });
}
