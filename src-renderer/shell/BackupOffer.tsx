import { useEffect, useMemo, useState } from 'react';
import type { ProjectBackup } from '../../src-shared/contract/project.ts';
import { errorMessage, useClient } from '../client/client-context.tsx';
import { scanDataFolder } from '../panels/scan-data-folder.ts';
import { useAppStores } from '../state/app-context.tsx';
import { Autosaver } from '../state/autosave.ts';
import { Modal } from './Modal.tsx';

/**
 * Crash recovery. On launch, asks main for an autosave backup that a window left without
 * saving and offers it: Restore brings the edits back as unsaved changes of their project;
 * Discard deletes them. Only then does autosaving start, so a fresh window never writes
 * over a backup that has not been answered. Closing the question (×, Escape) decides
 * later: the backup stays for the next launch and this window never writes over it.
 */
export function BackupOffer() {
  const client = useClient();
  const { editor } = useAppStores();
  const autosaver = useMemo(() => new Autosaver(editor, {
    write: (path, project) => client.invoke('project.backup', { path, project }),
    discard: (path) => client.invoke('project.discardBackup', { path }),
  }), [client, editor]);
  const [offer, setOffer] = useState<ProjectBackup | null>(null);
  const [answered, setAnswered] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    client.invoke('project.pendingBackup', {}).then(
      ({ backup }) => { if (!live) return; if (backup) setOffer(backup); else setAnswered(true); },
      () => { if (live) setAnswered(true); }, // no backups folder to read: nothing to offer
    );
    return () => { live = false; };
  }, [client]);

  useEffect(() => {
    if (!answered) return undefined;
    autosaver.start();
    return () => autosaver.stop();
  }, [answered, autosaver]);

  if (!offer) return null;

  const restore = async (): Promise<void> => {
    setBusy(true);
    // "Unsaved" is measured against the file as it is now; a file that is gone counts as never saved.
    let onDisk = null;
    if (offer.projectPath) {
      try {
        onDisk = (await client.invoke('project.open', { path: offer.projectPath })).project;
      } catch { /* gone or unreadable: the edits are all there is */ }
    }
    editor.restoreUnsaved(offer.project, offer.projectPath, onDisk);
    autosaver.adopt(offer.projectPath);
    setOffer(null);
    setAnswered(true);
    if (offer.project.data) await scanDataFolder(client, editor, offer.project.data.path, { keepConfig: true });
  };

  /** Closing the question keeps the backup for the next launch; this window leaves it alone. */
  const later = (): void => {
    autosaver.hold(offer.projectPath);
    setOffer(null);
    setAnswered(true);
  };

  const discard = async (): Promise<void> => {
    setBusy(true);
    try {
      await client.invoke('project.discardBackup', { path: offer.projectPath });
      setOffer(null);
      setAnswered(true);
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };

  const when = new Date(offer.savedAt);
  return (
    <Modal
      title="Restore unsaved changes?" testId="backup-offer" onClose={later}
      footer={(
        <>
          <button type="button" className="danger" onClick={() => void discard()} disabled={busy} data-testid="btn-backup-discard">Discard them</button>
          <button type="button" className="primary" onClick={() => void restore()} disabled={busy} data-testid="btn-backup-restore">Restore</button>
        </>
      )}
    >
      <p data-testid="backup-offer-text">
        Strata closed without saving changes to <strong>{offer.project.name}</strong>
        {offer.projectPath ? <> (<span className="mono">{offer.projectPath}</span>)</> : ' (a project never saved to a file)'}.
        They were autosaved at <time dateTime={offer.savedAt}>{Number.isNaN(when.getTime()) ? offer.savedAt : when.toLocaleString()}</time>.
      </p>
      <p className="muted">Restore opens them as unsaved changes; save to keep them. Discard deletes the autosaved copy{offer.projectPath ? '; the project file stays as it is' : ''}. Close to decide at the next launch.</p>
      {error && <div className="error-box" role="alert">{error}</div>}
    </Modal>
  );
}
