import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commands } from '../../src-shared/contract/commands.ts';
import { PROJECT_VERSION, ProjectSchema, type Project } from '../../src-shared/contract/project.ts';
import { streams } from '../../src-shared/contract/streams.ts';
import { getTemplate } from '../../src-shared/spec/templates.ts';
import { registerProjectCommands } from '../host/project-commands.ts';
import { Router } from '../host/router.ts';
import { backupFileFor, backupsDir, pendingBackup, readBackup, writeBackup } from './project-backups.ts';
import { writeProjectFile } from './project-file.ts';
import { addRecentProject, listRecentProjects, RECENT_LIMIT, recentProjectsFile } from './project-recent.ts';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-backups-'));
  process.env.STRATA_CONFIG_DIR = path.join(dir, 'config');
});
afterEach(() => {
  delete process.env.STRATA_CONFIG_DIR;
  fs.rmSync(dir, { recursive: true, force: true });
});

const project = (name: string): Project =>
  ProjectSchema.parse({ schemaVersion: PROJECT_VERSION, kind: 'strata-project', name, model: getTemplate('mlp')!.build() });

function studioRouter() {
  const router = new Router(commands, streams);
  registerProjectCommands(router);
  return router;
}

describe('autosave backups', () => {
  it('keeps one backup per project file and one for the unsaved project; offers the newest', () => {
    const file = path.join(dir, 'a.strata.json');
    writeBackup(file, project('edited a'), new Date('2026-01-01T10:00:00Z'));
    writeBackup(null, project('untitled edits'), new Date('2026-01-01T11:00:00Z'));
    writeBackup(file, project('edited a again'), new Date('2026-01-01T09:00:00Z'));
    expect(fs.readdirSync(backupsDir()).sort()).toEqual([path.basename(backupFileFor(file)), 'untitled.json'].sort());
    expect(pendingBackup()).toEqual({ backup: { projectPath: null, savedAt: '2026-01-01T11:00:00.000Z', project: project('untitled edits') }, skipped: [] });
    expect(readBackup(backupFileFor(file))).toEqual({ projectPath: file, savedAt: '2026-01-01T09:00:00.000Z', project: project('edited a again') });
  });

  it('skips a damaged or hostile backup without deleting it (it may be the only copy)', () => {
    writeBackup(null, project('good'));
    const damaged = path.join(backupsDir(), 'damaged.json');
    fs.writeFileSync(damaged, '{"kind":"strata-backup","backupVersion":1,"projectPath":null,"savedAt":"2030-01-01","project":{"kind"');
    const newer = path.join(backupsDir(), 'newer.json');
    fs.writeFileSync(newer, JSON.stringify({ kind: 'strata-backup', backupVersion: 1, projectPath: null, savedAt: '2031-01-01', project: { ...project('n'), schemaVersion: PROJECT_VERSION + 1 } }));
    const { backup, skipped } = pendingBackup();
    expect(backup?.project.name).toBe('good');
    expect(skipped.sort()).toEqual([
      expect.stringMatching(/damaged\.json \(autosave backup\) is not valid JSON/),
      expect.stringMatching(/newer\.json \(its project\) was written by a newer Strata/),
    ]);
    expect(fs.existsSync(damaged) && fs.existsSync(newer)).toBe(true);
  });

  it('through the contract: a save deletes the saved file\'s backup, discard deletes the untitled one', async () => {
    const router = studioRouter();
    const file = path.join(dir, 'p.strata.json');
    writeProjectFile(file, project('on disk'));
    await router.invoke('project.backup', { path: file, project: project('unsaved edits') });
    await router.invoke('project.backup', { path: null, project: project('never saved') });
    expect(readBackup(backupFileFor(file))).toMatchObject({ projectPath: file, project: { name: 'unsaved edits' } });
    await router.invoke('project.save', { path: file, project: project('unsaved edits') });
    expect(fs.existsSync(backupFileFor(file))).toBe(false);
    expect(await router.invoke('project.pendingBackup', {})).toMatchObject({ backup: { projectPath: null, project: { name: 'never saved' } } });
    expect(await router.invoke('project.discardBackup', { path: null })).toEqual({ discarded: true });
    expect(await router.invoke('project.pendingBackup', {})).toEqual({ backup: null, skipped: [] });
  });
});

describe('recent projects', () => {
  it('lists opened and saved projects most recent first, at most ten, without files that are gone', async () => {
    const router = studioRouter();
    const files = Array.from({ length: RECENT_LIMIT + 2 }, (_, i) => path.join(dir, `p${i}.strata.json`));
    for (const [i, f] of files.entries()) await router.invoke('project.save', { path: f, project: project(`p${i}`) });
    await router.invoke('project.open', { path: files[3] });
    fs.rmSync(files[11]!);
    const recent = await router.invoke('projects.recent', {}) as Array<{ path: string; name: string }>;
    expect(recent.map((r) => r.name)).toEqual(['p3', 'p10', 'p9', 'p8', 'p7', 'p6', 'p5', 'p4', 'p2']);
    expect(recent[0]!.path).toBe(files[3]);
  });

  it('reads a damaged list as empty and rebuilds it on the next open or save', () => {
    fs.mkdirSync(path.dirname(recentProjectsFile()), { recursive: true });
    fs.writeFileSync(recentProjectsFile(), '{"recentVersion":1,"projects":[{"path":');
    expect(listRecentProjects()).toEqual([]);
    const file = path.join(dir, 'x.strata.json');
    writeProjectFile(file, project('x'));
    addRecentProject(file, 'x');
    expect(listRecentProjects().map((r) => r.path)).toEqual([file]);
  });
});
