import { describe, expect, it } from 'vitest';
import { PROJECT_VERSION, ProjectSchema } from '../../src-shared/contract/project.ts';
import { updateConfig } from '../../src-shared/graph/graph-edits.ts';
import { TEMPLATES } from '../../src-shared/spec/templates.ts';
import { Autosaver, type BackupWriter } from './autosave.ts';
import { EditorStore, isDirty } from './editor-store.ts';

const lenet = TEMPLATES.find((t) => t.id === 'lenet')!.build();
const project = (name: string) => ProjectSchema.parse({ schemaVersion: PROJECT_VERSION, kind: 'strata-project', name, model: lenet });

/** Backups kept by project path, as main keeps them (one file per path). */
function memoryBackups(): BackupWriter & { files: Map<string | null, string> } {
  const files = new Map<string | null, string>();
  return {
    files,
    write: async (p, project) => { files.set(p, project.name); },
    discard: async (p) => { files.delete(p); },
  };
}

// A delay no test waits out: each step is run with flush(), so nothing depends on timing.
const NEVER = 1e9;

describe('Autosaver', () => {
  it('backs up unsaved edits, ignores selection, and deletes the backup once nothing is unsaved', async () => {
    const editor = new EditorStore(lenet);
    const backups = memoryBackups();
    const autosaver = new Autosaver(editor, backups, NEVER);
    autosaver.start();
    editor.select({ nodes: ['dense_1'], edges: [] });
    await autosaver.flush();
    expect([...backups.files]).toEqual([]);
    editor.setProjectName('edited');
    editor.edit((s) => updateConfig(s, 'conv2d_1', { filters: 8 }));
    await autosaver.flush();
    expect([...backups.files]).toEqual([[null, 'edited']]);
    // Saved as a file: the untitled backup goes (main deletes the saved file's own).
    editor.markSaved('/p/a.strata.json', editor.content());
    await autosaver.flush();
    expect([...backups.files]).toEqual([]);
    editor.setProjectName('edited again');
    await autosaver.flush();
    expect([...backups.files]).toEqual([['/p/a.strata.json', 'edited again']]);
    editor.setProjectName('edited'); // back to what the file holds
    await autosaver.flush();
    expect([...backups.files]).toEqual([]);
    autosaver.stop();
  });

  it('retries after a failed write instead of losing the edits', async () => {
    const editor = new EditorStore(lenet);
    const backups = memoryBackups();
    let fail = true;
    const autosaver = new Autosaver(editor, { ...backups, write: async (p, project) => { if (fail) throw new Error('disk full'); await backups.write(p, project); } }, NEVER);
    autosaver.start();
    editor.setProjectName('one');
    await autosaver.flush();
    fail = false;
    editor.setProjectName('two');
    await autosaver.flush();
    expect([...backups.files]).toEqual([[null, 'two']]);
  });

  it('backs up edits made before it started (while the launch asked main about old backups)', async () => {
    const editor = new EditorStore(lenet);
    const backups = memoryBackups();
    const autosaver = new Autosaver(editor, backups, NEVER);
    editor.setProjectName('edited before the answer');
    autosaver.start();
    await autosaver.flush();
    expect([...backups.files]).toEqual([[null, 'edited before the answer']]);
    autosaver.stop();
    // A clean window that starts writes nothing.
    const clean = memoryBackups();
    const other = new Autosaver(new EditorStore(lenet), clean, NEVER);
    other.start();
    await other.flush();
    expect([...clean.files]).toEqual([]);
  });

  it('never touches a backup held for later', async () => {
    const editor = new EditorStore(lenet);
    const backups = memoryBackups();
    backups.files.set(null, 'from the crashed session');
    const autosaver = new Autosaver(editor, backups, NEVER);
    autosaver.hold(null);
    autosaver.start();
    editor.setProjectName('new edits');
    await autosaver.flush();
    editor.markSaved('/p/b.strata.json', editor.content());
    editor.setProjectName('edits of b');
    await autosaver.flush();
    expect([...backups.files]).toEqual([[null, 'from the crashed session'], ['/p/b.strata.json', 'edits of b']]);
  });
});

describe('restoring unsaved edits', () => {
  it('a restored backup of a never-saved project is deleted once it is saved under a name', async () => {
    const editor = new EditorStore();
    const backups = memoryBackups();
    backups.files.set(null, 'restored');
    const autosaver = new Autosaver(editor, backups, NEVER);
    editor.restoreUnsaved(project('restored'), null, null);
    autosaver.adopt(null);
    autosaver.start();
    editor.markSaved('/p/c.strata.json', editor.content());
    await autosaver.flush();
    expect([...backups.files]).toEqual([]);
  });


  it('shows restored edits as unsaved against the file on disk, or against a fresh window', () => {
    const editor = new EditorStore();
    editor.restoreUnsaved(project('edits'), '/p/a.strata.json', project('on disk'));
    expect({ name: editor.get().projectName, path: editor.get().projectPath, saved: editor.get().saved.projectName, dirty: isDirty(editor.get()), undo: editor.get().canUndo })
      .toEqual({ name: 'edits', path: '/p/a.strata.json', saved: 'on disk', dirty: true, undo: false });
    editor.restoreUnsaved(project('Untitled project'), null, null);
    expect({ path: editor.get().projectPath, dirty: isDirty(editor.get()) }).toEqual({ path: null, dirty: true });
  });
});
