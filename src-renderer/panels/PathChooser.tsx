import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import type { CommandResult } from '../../src-shared/contract/commands.ts';
import { errorMessage, useClient } from '../client/client-context.tsx';
import { Modal } from '../shell/Modal.tsx';
import { isImageFile, joinPath, pathCrumbs } from './path-crumbs.ts';

type Listing = CommandResult<'fs.list'>;
export interface ChooseOptions {
  title: string;
  /** 'folder' picks a directory; 'file' picks an image file. */
  mode: 'folder' | 'file';
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
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Set when the person types a path; a listing that arrives afterwards must not overwrite it.
  const typedByHand = useRef(false);

  const list = useCallback(async (path?: string, navigate = true): Promise<Listing | null> => {
    setBusy(true);
    if (navigate) typedByHand.current = false;
    try {
      const result = await client.invoke('fs.list', path === undefined ? {} : { path });
      setListing(result);
      if (!typedByHand.current) setTyped(result.path);
      setError(null);
      lastDir = result.path;
      return result;
    } catch (err) {
      setError(errorMessage(err));
      return null;
    } finally {
      setBusy(false);
    }
  }, [client]);

  // The first listing is not navigation: it must not replace a path typed while it loaded.
  useEffect(() => { void list(lastDir, false); }, [list]);

  /** Choose: the typed path wins if it was edited (pasting a path is the fast way in). */
  const confirm = async (): Promise<void> => {
    const target = typed.trim();
    if (target === '') return;
    if (options.mode === 'folder') {
      if (listing && target === listing.path) { onDone(target); return; }
      const ok = await list(target); // a folder only counts once main has listed it
      if (ok) onDone(ok.path);
    } else if (isImageFile(target)) {
      onDone(target);
    } else {
      const ok = await list(target);
      if (ok) setError(null);
    }
  };

  const dirs = listing?.entries.filter((e) => e.kind === 'dir') ?? [];
  const files = options.mode === 'file' ? (listing?.entries.filter((e) => e.kind === 'file' && isImageFile(e.name)) ?? []) : [];
  const chooseLabel = options.mode === 'folder' ? 'Choose this folder' : 'Choose file';

  return (
    <Modal
      title={options.title} testId="path-chooser" onClose={() => onDone(null)} wide
      footer={(
        <>
          <span className="muted chooser-hint">{options.mode === 'folder' ? 'Open a folder, then choose it — or paste a path.' : 'Pick an image file — or paste its path.'}</span>
          <button type="button" onClick={() => onDone(null)} data-testid="btn-path-cancel">Cancel</button>
          <button type="button" className="primary" onClick={() => void confirm()} disabled={busy || typed.trim() === ''} data-testid="btn-path-choose">{chooseLabel}</button>
        </>
      )}
    >
      <form className="chooser-pathbar" onSubmit={(e) => { e.preventDefault(); void confirm(); }}>
        <input
          type="text" value={typed} onChange={(e) => { typedByHand.current = true; setTyped(e.target.value); }} spellCheck={false}
          placeholder="/path/to/folder" aria-label="Path" data-testid="path-input"
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
          return (
            <li key={`f:${f.name}`}>
              <button
                type="button" className={`chooser-entry file${typed === full ? ' is-picked' : ''}`} data-testid={`path-entry-${f.name}`}
                onClick={() => { typedByHand.current = true; setTyped(full); }} onDoubleClick={() => onDone(full)}
              >
                <span className="entry-icon">▫</span>{f.name}
              </button>
            </li>
          );
        })}
        {listing && dirs.length === 0 && files.length === 0 && <li className="muted chooser-empty">{options.mode === 'file' ? 'No folders or images here.' : 'No sub-folders here.'}</li>}
      </ul>
    </Modal>
  );
}
