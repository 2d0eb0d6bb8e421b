import { useAppStores, useEditor } from '../state/app-context.tsx';
import { EngineBadge } from './EngineBadge.tsx';

/** Project name, template menu, undo/redo and the engine badge. */
export function TopBar({ onNewFromTemplate }: { onNewFromTemplate(): void }) {
  const { editor } = useAppStores();
  const projectName = useEditor((s) => s.projectName);
  const canUndo = useEditor((s) => s.canUndo);
  const canRedo = useEditor((s) => s.canRedo);
  return (
    <header className="topbar">
      <span className="brand" aria-label="Strata">
        <svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true">
          <rect x="2" y="3" width="14" height="3" rx="1" fill="#4c8dff" />
          <rect x="2" y="7.5" width="14" height="3" rx="1" fill="#7aa7ff" />
          <rect x="2" y="12" width="14" height="3" rx="1" fill="#a9c5ff" />
        </svg>
        Strata
      </span>
      <input
        className="project-name" value={projectName} aria-label="Project name" data-testid="project-name" spellCheck={false}
        onChange={(e) => editor.setProjectName(e.target.value)}
      />
      <nav className="topbar-actions">
        <button type="button" onClick={onNewFromTemplate} data-testid="btn-new-template">New from template…</button>
        <button type="button" className="icon-button" onClick={() => editor.undo()} disabled={!canUndo} title="Undo (Ctrl+Z)" aria-label="Undo" data-testid="btn-undo">↶</button>
        <button type="button" className="icon-button" onClick={() => editor.redo()} disabled={!canRedo} title="Redo (Ctrl+Shift+Z)" aria-label="Redo" data-testid="btn-redo">↷</button>
      </nav>
      <span className="topbar-spacer" />
      <EngineBadge />
    </header>
  );
}
