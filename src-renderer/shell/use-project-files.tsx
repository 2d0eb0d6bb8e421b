import { useCallback, useRef, useState, type ReactNode } from 'react';
import type { CommandResult } from '../../src-shared/contract/commands.ts';
import { errorMessage, useClient } from '../client/client-context.tsx';
import { StrataClientError } from '../client/strata-client.ts';
import { joinPath } from '../panels/path-crumbs.ts';
import { isElectron, usePathChooser } from '../panels/PathChooser.tsx';
import { scanDataFolder } from '../panels/scan-data-folder.ts';
import { useAppStores } from '../state/app-context.tsx';
import { isDirty } from '../state/editor-store.ts';
import { defaultProjectFileName, splitPath, toProjectFile } from '../state/project-doc.ts';
import { Modal } from './Modal.tsx';
import { RecentProjects } from './RecentProjects.tsx';

type Opened = CommandResult<'project.open'>;
type Choice = 'cancel' | 'discard' | 'save';

export interface ProjectFiles {
  open(): Promise<void>;
  /** Shows the recent projects; choosing one opens it as Open… does. */
  openRecent(): void;
  save(): Promise<void>;
  saveAs(): Promise<void>;
  /** Import model…: a tfjs model.json or a Keras model config becomes the canvas' graph (undoable). */
  importModel(): Promise<void>;
  /** Opening or saving is under way, or one of its dialogs is showing. */
  busy: boolean;
  /** The chooser, the "unsaved changes" question and the error dialog. */
  element: ReactNode;
}

/**
 * Open…, Save and Save as… for the window's project (`project.open` / `project.save`).
 * Opening never loses work silently: a file that is not a project leaves the editor as it
 * was, and unsaved changes are confirmed before another project replaces them.
 */
export function useProjectFiles(): ProjectFiles {
  const client = useClient();
  const { editor } = useAppStores();
  const chooser = usePathChooser();
  const { choose } = chooser;
  const [working, setWorking] = useState(false);
  const [failure, setFailure] = useState<{ title: string; message: string; code: string | null } | null>(null);
  const [question, setQuestion] = useState<{ opening: string; name: string; path: string | null } | null>(null);
  const [recentOpen, setRecentOpen] = useState(false);
  const answer = useRef<((c: Choice) => void) | null>(null);
  const inFlight = useRef(false);

  const fail = useCallback((title: string, err: unknown) => {
    setFailure({ title, message: errorMessage(err), code: err instanceof StrataClientError ? err.code : null });
  }, []);

  /** Writes the window's project to `path`; true when it is on disk. */
  const writeTo = useCallback(async (path: string): Promise<boolean> => {
    const content = editor.content();
    try {
      const result = await client.invoke('project.save', { path, project: toProjectFile(content) });
      // What was sent is what is on disk, even if the person edited while it was written.
      editor.markSaved(result.path, content);
      return true;
    } catch (err) {
      fail('Could not save the project', err);
      return false;
    }
  }, [client, editor, fail]);

  const chooseSavePath = useCallback(async (): Promise<string | null> => {
    const s = editor.get();
    const startDir = s.projectPath ? splitPath(s.projectPath).dir : s.data ? splitPath(s.data.path).dir : undefined;
    const fileName = defaultProjectFileName(s.projectName);
    if (isElectron()) {
      const native = await nativeDialog(() => client.invoke('dialog.saveProject', { title: 'Save project as', defaultPath: startDir ? joinPath(startDir, fileName) : fileName }));
      if (native !== undefined) return native;
    }
    return choose({
      title: 'Save project as', mode: 'save', fileName,
      ...(startDir ? { startDir } : {}),
    });
  }, [choose, client, editor]);

  /** Runs one open/save at a time; a second click or shortcut while one runs does nothing. */
  const exclusive = useCallback(async (job: () => Promise<void>): Promise<void> => {
    if (inFlight.current) return;
    inFlight.current = true;
    setWorking(true);
    try {
      await job();
    } finally {
      inFlight.current = false;
      setWorking(false);
    }
  }, []);

  const saveAs = useCallback(() => exclusive(async () => {
    const path = await chooseSavePath();
    if (path) await writeTo(path);
  }), [chooseSavePath, exclusive, writeTo]);

  const save = useCallback(() => exclusive(async () => {
    const path = editor.get().projectPath ?? await chooseSavePath();
    if (path) await writeTo(path);
  }), [chooseSavePath, editor, exclusive, writeTo]);

  const ask = useCallback((opening: string) => new Promise<Choice>((resolve) => {
    answer.current = resolve;
    const { projectName, projectPath } = editor.get();
    setQuestion({ opening, name: projectName, path: projectPath });
  }), [editor]);

  const reply = useCallback((choice: Choice) => {
    answer.current?.(choice);
    answer.current = null;
    setQuestion(null);
  }, []);

  /** Opens the project at `path` (validated by main before the window changes). */
  const openFile = useCallback(async (path: string): Promise<void> => {
    let opened: Opened;
    try {
      // Read (and validated by main) before anything in the window changes.
      opened = await client.invoke('project.open', { path });
    } catch (err) {
      fail('Could not open the project', err);
      return;
    }
    if (isDirty(editor.get())) {
      const choice = await ask(opened.path);
      if (choice === 'cancel') return;
      if (choice === 'save') {
        const at = editor.get().projectPath;
        if (!at || !(await writeTo(at))) return;
      }
    }
    editor.openProject(opened.project, opened.path);
    // Thumbnails and class counts, as the Data panel shows them after choosing the folder.
    if (opened.project.data) await scanDataFolder(client, editor, opened.project.data.path, { keepConfig: true });
  }, [ask, client, editor, fail, writeTo]);

  const open = useCallback(() => exclusive(async () => {
    const current = editor.get().projectPath;
    let path: string | null | undefined;
    if (isElectron()) path = await nativeDialog(() => client.invoke('dialog.openProject', { title: 'Open a project' }));
    if (path === undefined) {
      path = await choose({
        title: 'Open a project', mode: 'file', accept: 'project', ...(current ? { startDir: splitPath(current).dir } : {}),
      });
    }
    if (path) await openFile(path);
  }), [choose, client, editor, exclusive, openFile]);

  const openRecent = useCallback(() => setRecentOpen(true), []);
  const openFromRecent = useCallback((path: string) => {
    setRecentOpen(false);
    void exclusive(() => openFile(path));
  }, [exclusive, openFile]);

  const importModel = useCallback(() => exclusive(async () => {
    const path = await choose({ title: 'Import a model (tfjs model.json, Keras .keras / .h5, or Keras model.to_json())', mode: 'file', accept: 'model' });
    if (!path) return;
    try {
      const { spec, weights } = await client.invoke('model.import', { path });
      editor.load(spec, spec.config.name, weights);
    } catch (err) {
      fail('Could not import the model', err);
    }
  }), [choose, client, editor, exclusive, fail]);

  const element = (
    <>
      {chooser.element}
      {recentOpen && <RecentProjects onOpen={openFromRecent} onClose={() => setRecentOpen(false)} />}
      {question && (
        <Modal
          title="Unsaved changes" testId="confirm-discard" onClose={() => reply('cancel')}
          footer={(
            <>
              <button type="button" onClick={() => reply('cancel')} data-testid="btn-confirm-cancel">Cancel</button>
              {question.path && <button type="button" onClick={() => reply('save')} data-testid="btn-confirm-save">Save, then open</button>}
              <button type="button" className="danger" onClick={() => reply('discard')} data-testid="btn-confirm-discard">Discard changes and open</button>
            </>
          )}
        >
          <p><strong>{question.name || 'This project'}</strong> has changes that are not saved{question.path ? <> to <span className="mono">{question.path}</span></> : ' to a file'}.</p>
          <p>Opening <span className="mono">{question.opening}</span> replaces the graph, the data and the training settings in this window.</p>
        </Modal>
      )}
      {failure && (
        <Modal
          title={failure.title} testId="project-error" onClose={() => setFailure(null)}
          footer={<button type="button" className="primary" onClick={() => setFailure(null)} data-testid="btn-project-error-ok">OK</button>}
        >
          <div className="error-box" role="alert" data-testid="project-error-message">{failure.message}</div>
          {failure.code && <p className="muted mono" data-testid="project-error-code">{failure.code}</p>}
          <p className="muted">Nothing in the window was changed.</p>
        </Modal>
      )}
    </>
  );

  return { open, openRecent, save, saveAs, importModel, busy: working || failure !== null, element };
}

/**
 * Runs a native file dialog (Electron). Its path, or null when the person cancelled;
 * undefined when this host has no such dialog (or it failed), so the caller draws the
 * path chooser instead — the person can always pick a file.
 */
async function nativeDialog(run: () => Promise<{ path: string | null }>): Promise<string | null | undefined> {
  try {
    return (await run()).path;
  } catch {
    return undefined;
  }
}
