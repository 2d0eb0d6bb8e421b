import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import type { CommandResult } from '../../src-shared/contract/commands.ts';
import { errorMessage, useClient } from '../client/client-context.tsx';
import { StrataClientError } from '../client/strata-client.ts';
import { Modal } from '../shell/Modal.tsx';
import { checkProjectFileName, isProjectFileName } from '../state/project-doc.ts';
import { isImageFile, isModelFile, isTableFile, joinPath, pathCrumbs } from './path-crumbs.ts';

type Listing = CommandResult<'fs.list'>;
export interface ChooseOptions {
  title: string;
  /**
   * 'folder' picks a directory; 'file' picks an existing file (see `accept`); 'save' picks
   * a folder and a file name typed for it (the file may not exist yet); 'data' picks a
   * dataset: a folder (of images or texts) or a CSV file.
   */
  mode: 'folder' | 'file' | 'save' | 'data';
  /** 'file': which files are listed — images (the default) or project files (`*.json`). */
  accept?: 'image' | 'project' | 'model';
  /** 'save': the file name the box starts with. */
  fileName?: string;
  /** The folder to open in; else the folder the last chooser was in. */
  startDir?: string;
}

/** Where the last chooser was, so the next one opens there (per window session). */
let lastDir: string | undefined;

/** In Electron the preload exposes `strataBridge`; there a native folder dialog is better. */
export function isElectron(): boolean {
  return typeof (window as unknown as { strataBridge?: unknown }).strataBridge !== 'undefined';
}

/**
 * Picks a path. Folders in Electron use the native dialog (`dialog.openFolder`); everywhere
 * else — the web host, and files in both — a chooser drawn on `fs.list`, since a browser
 * cannot see the server's disk. Returns null when the person cancels.
 */
export function usePathChooser(): { choose(opts: ChooseOptions): Promise<string | null>; element: ReactNode } {
  const client = useClient();
  const [open, setOpen] = useState<ChooseOptions | null>(null);
  const resolver = useRef<((path: string | null) => void) | null>(null);

  const choose = useCallback(async (opts: ChooseOptions): Promise<string | null> => {
    if (opts.mode === 'folder' && isElectron()) {
      const { path } = await client.invoke('dialog.openFolder', { title: opts.title });
      return path;
    }
    resolver.current?.(null);
    setOpen(opts);
    return new Promise((resolve) => { resolver.current = resolve; });
  }, [client]);

  const finish = useCallback((path: string | null) => {
    resolver.current?.(path);
    resolver.current = null;
    setOpen(null);
  }, []);

  const element = open ? <PathChooserDialog options={open} onDone={finish} /> : null;
  return { choose, element };
}

function PathChooserDialog({ options, onDone }: { options: ChooseOptions; onDone(path: string | null): void }) {
  const client = useClient();
  const [listing, setListing] = useState<Listing | null>(null);
  const [typed, setTyped] = useState('');
  const [fileName, setFileName] = useState(options.fileName ?? '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Set when the person types a path; a listing that arrives afterwards must not overwrite it.
  const typedByHand = useRef(false);
  // Why the last listing failed, for a quiet listing whose failure may not be an error.
  const lastFailure = useRef<{ code: string | null; message: string } | null>(null);
  const { mode } = options;
  const accept = mode === 'save' ? 'project' : options.accept ?? 'image';
  const acceptsFile = mode === 'data' ? isTableFile : accept === 'project' ? isProjectFileName : accept === 'model' ? isModelFile : isImageFile;
  // Projects and models: any file typed by hand is passed on, and main says whether it is one.
  const readByMain = accept === 'project' || accept === 'model';

  const list = useCallback(async (path?: string, navigate = true, quiet = false): Promise<Listing | null> => {
    setBusy(true);
    if (navigate) typedByHand.current = false;
    try {
      const result = await client.invoke('fs.list', path === undefined ? {} : { path });
      setListing(result);
      if (!typedByHand.current) setTyped(result.path);
      setError(null);
      lastFailure.current = null;
      lastDir = result.path;
      return result;
    } catch (err) {
      lastFailure.current = { code: err instanceof StrataClientError ? err.code : null, message: errorMessage(err) };
      if (!quiet) setError(errorMessage(err));
      return null;
    } finally {
      setBusy(false);
    }
  }, [client]);

  // The first listing is not navigation: it must not replace a path typed while it loaded.
  // It opens where asked, else where the last chooser was, else in the home folder.
  useEffect(() => {
    void (async () => {
      for (const dir of [options.startDir, lastDir]) {
        if (dir !== undefined && await list(dir, false, true)) return;
      }
      await list(undefined, false);
    })();
    // Only when the dialog opens (`list` is stable; the options do not change while it is open).
  }, [list]);

  const checkedName = mode === 'save' ? checkProjectFileName(fileName) : null;
  const willReplace = mode === 'save' && checkedName !== null && 'name' in checkedName && listing !== null && typed.trim() === listing.path
    && listing.entries.some((e) => e.kind === 'file' && e.name === checkedName.name);

  /** Choose: the typed path wins if it was edited (pasting a path is the fast way in). */
  const confirm = async (): Promise<void> => {
    const target = typed.trim();
    if (target === '') return;
    if (mode === 'folder' || (mode === 'data' && !isTableFile(target))) {
      if (listing && target === listing.path) { onDone(target); return; }
      const ok = await list(target); // a folder only counts once main has listed it
      if (ok) onDone(ok.path);
    } else if (mode === 'save') {
      if (!checkedName || 'error' in checkedName) { setError(checkedName?.error ?? 'Type a file name.'); return; }
      if (listing && target === listing.path) { onDone(joinPath(target, checkedName.name)); return; }
      const ok = await list(target, true, true);
      if (ok) { onDone(joinPath(ok.path, checkedName.name)); return; }
      // A whole file path pasted into the path box (a file there, or a new name): save to it.
      const code = lastFailure.current?.code;
      if (isProjectFileName(target) && (code === 'NOT_A_FOLDER' || code === 'NOT_FOUND')) onDone(target);
      else setError(lastFailure.current?.message ?? null);
    } else if (acceptsFile(target)) {
      onDone(target);
    } else {
      const ok = await list(target, true, readByMain);
      // Any other file typed by hand: main reads it and says whether it is a project or model.
      if (!ok && readByMain && lastFailure.current?.code === 'NOT_A_FOLDER') onDone(target);
      else if (!ok && readByMain) setError(lastFailure.current?.message ?? null);
    }
  };

  const dirs = listing?.entries.filter((e) => e.kind === 'dir') ?? [];
  const files = mode === 'folder' ? [] : (listing?.entries.filter((e) => e.kind === 'file' && acceptsFile(e.name)) ?? []);
  const chooseLabel = mode === 'data' ? (isTableFile(typed.trim()) ? 'Choose this CSV' : 'Choose this folder') : mode === 'folder' ? 'Choose this folder' : mode === 'save' ? (willReplace ? 'Replace' : 'Save') : accept === 'project' ? 'Open' : accept === 'model' ? 'Import' : 'Choose file';
  const hint = mode === 'data' ? 'Open the dataset folder and choose it, or pick a CSV file — or paste a path.'
    : mode === 'folder' ? 'Open a folder, then choose it — or paste a path.'
    : mode === 'save' ? 'Open the folder to save in and name the file.'
      : accept === 'project' ? 'Pick a project file (*.json) — or paste its path.'
        : accept === 'model' ? 'Pick a model.json, a .keras or .h5 file, or a Keras config (*.json) — or paste its path.' : 'Pick an image file — or paste its path.';

  return (
    <Modal
      title={options.title} testId="path-chooser" onClose={() => onDone(null)} wide
      footer={(
        <>
          <span className="muted chooser-hint">{hint}</span>
          <button type="button" onClick={() => onDone(null)} data-testid="btn-path-cancel">Cancel</button>
          <button type="button" className="primary" onClick={() => void confirm()} disabled={busy || typed.trim() === ''} data-testid="btn-path-choose">{chooseLabel}</button>
        </>
      )}
    >
      <form className="chooser-pathbar" onSubmit={(e) => { e.preventDefault(); void confirm(); }}>
        <input
          type="text" value={typed} onChange={(e) => { typedByHand.current = true; setTyped(e.target.value); }} spellCheck={false}
          placeholder={mode === 'file' ? '/path/to/file' : '/path/to/folder'} aria-label="Path" data-testid="path-input"
        />
        <button type="button" onClick={() => void list(typed.trim())} disabled={busy} data-testid="btn-path-go">Go</button>
      </form>
      {listing && (
        <nav className="chooser-crumbs" aria-label="Breadcrumbs">
          {pathCrumbs(listing.path).map((c, i) => (
            <button key={c.path} type="button" className="crumb" onClick={() => void list(c.path)} data-testid={`path-crumb-${i}`}>{c.label}</button>
          ))}
        </nav>
      )}
      {error && <div className="error-box" role="alert" data-testid="path-error">{error}</div>}
      <ul className="chooser-list" data-testid="path-entries" aria-busy={busy}>
        {listing?.parent && (
          <li><button type="button" className="chooser-entry" onClick={() => void list(listing.parent ?? undefined)} data-testid="btn-path-up">
            <span className="entry-icon">↰</span>..</button></li>
        )}
        {dirs.map((d) => (
          <li key={`d:${d.name}`}>
            <button type="button" className="chooser-entry" data-testid={`path-entry-${d.name}`} onClick={() => listing && void list(joinPath(listing.path, d.name))}>
              <span className="entry-icon folder">▸</span>{d.name}
            </button>
          </li>
        ))}
        {files.map((f) => {
          const full = listing ? joinPath(listing.path, f.name) : f.name;
          const picked = mode === 'save' ? fileName === f.name : typed === full;
          return (
            <li key={`f:${f.name}`}>
              <button
                type="button" className={`chooser-entry file${picked ? ' is-picked' : ''}`} data-testid={`path-entry-${f.name}`}
                onClick={() => { if (mode === 'save') setFileName(f.name); else { typedByHand.current = true; setTyped(full); } }}
                onDoubleClick={() => { if (mode !== 'save') onDone(full); }}
              >
                <span className="entry-icon">▫</span>{f.name}
              </button>
            </li>
          );
        })}
        {listing && dirs.length === 0 && files.length === 0 && (
          <li className="muted chooser-empty">{mode === 'folder' ? 'No sub-folders here.' : mode === 'data' ? 'No folders or CSV files here.' : accept === 'project' ? 'No folders or project files here.' : 'No folders or images here.'}</li>
        )}
      </ul>
      {mode === 'save' && (
        <form className="chooser-filename" onSubmit={(e) => { e.preventDefault(); void confirm(); }}>
          <label htmlFor="path-file-name">File name</label>
          <input
            id="path-file-name" type="text" value={fileName} spellCheck={false} data-testid="path-file-name"
            onChange={(e) => { setFileName(e.target.value); setError(null); }}
          />
          {willReplace && <span className="warn-text" data-testid="path-replace-warning">A file with this name is here; saving replaces it.</span>}
        </form>
      )}
    </Modal>
  );
}
