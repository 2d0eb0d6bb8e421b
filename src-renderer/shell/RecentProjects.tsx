import { useEffect, useState } from 'react';
import type { RecentProject } from '../../src-shared/contract/project.ts';
import { errorMessage, useClient } from '../client/client-context.tsx';
import { shortenPath } from '../state/project-doc.ts';
import { Modal } from './Modal.tsx';

/** "Open recent": the projects last opened or saved on this machine, most recent first. */
export function RecentProjects({ onOpen, onClose }: { onOpen(path: string): void; onClose(): void }) {
  const client = useClient();
  const [recent, setRecent] = useState<RecentProject[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    client.invoke('projects.recent', {}).then((r) => { if (live) setRecent(r); }, (err: unknown) => { if (live) setError(errorMessage(err)); });
    return () => { live = false; };
  }, [client]);

  return (
    <Modal title="Open recent" testId="recent-projects" onClose={onClose}>
      {error && <div className="error-box" role="alert">{error}</div>}
      {!recent && !error && <p className="muted">Loading…</p>}
      {recent?.length === 0 && <p className="muted" data-testid="recent-empty">No recent projects yet: projects you open or save appear here.</p>}
      <ul className="template-list">
        {recent?.map((p, i) => (
          <li key={p.path}>
            <button type="button" className="template-item" onClick={() => onOpen(p.path)} title={p.path} data-testid={`recent-project-${i}`} data-path={p.path}>
              <span className="template-title">{p.name}</span>
              <span className="template-desc mono">{shortenPath(p.path, 72)}</span>
            </button>
          </li>
        ))}
      </ul>
    </Modal>
  );
}
