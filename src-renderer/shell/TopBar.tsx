import { useAppStores, useEditor } from '../state/app-context.tsx';
import { isDirty } from '../state/editor-store.ts';
import { shortenPath } from '../state/project-doc.ts';
import { EngineBadge } from './EngineBadge.tsx';
import type { ProjectFiles } from './use-project-files.tsx';

const MOD = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘' : 'Ctrl+';

/** Project name and file, Open/Save, template menu, undo/redo and the engine badge. */
export function TopBar({ onNewFromTemplate, onShortcuts, files }: { onNewFromTemplate(): void; onShortcuts(): void; files: ProjectFiles }) {
  const { editor } = useAppStores();
  const projectName = useEditor((s) => s.projectName);
  const projectPath = useEditor((s) => s.projectPath);
  const dirty = useEditor(isDirty);
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
      <span className="project-title">
        <input
          className="project-name" value={projectName} aria-label="Project name" data-testid="project-name" spellCheck={false}
          onChange={(e) => editor.setProjectName(e.target.value)}
        />
        {dirty && <span className="project-dirty" data-testid="project-dirty" title="Unsaved changes" aria-label="Unsaved changes">•</span>}
        <span
          className={`project-path mono${projectPath ? '' : ' muted'}`} data-testid="project-path" data-path={projectPath ?? ''}
          title={projectPath ?? 'Not saved to a file yet'}
        >
          {projectPath ? shortenPath(projectPath) : 'not saved yet'}
        </span>
      </span>
      <nav className="topbar-actions">
        <button type="button" onClick={onNewFromTemplate} data-testid="btn-new-template">New from template…</button>
        <button type="button" onClick={() => void files.importModel()} disabled={files.busy} title="Import a tfjs model.json or a Keras model config as the graph" data-testid="btn-import-model">Import model…</button>
        <button type="button" onClick={() => void files.open()} disabled={files.busy} title={`Open a project file (${MOD}O)`} data-testid="btn-open-project">Open…</button>
        <button type="button" onClick={files.openRecent} disabled={files.busy} title="Open a project you opened or saved lately" data-testid="btn-open-recent">Recent…</button>
        <button
          type="button" onClick={() => void files.save()} disabled={files.busy || projectPath === null} data-testid="btn-save-project"
          title={projectPath ? `Save to ${projectPath} (${MOD}S)` : `Not saved to a file yet: use Save as… (${MOD}S)`}
        >
          Save
        </button>
        <button type="button" onClick={() => void files.saveAs()} disabled={files.busy} title={`Save to a new file (${MOD}Shift+S)`} data-testid="btn-save-project-as">Save as…</button>
        <button type="button" className="icon-button" onClick={() => editor.undo()} disabled={!canUndo} title="Undo (Ctrl+Z)" aria-label="Undo" data-testid="btn-undo">↶</button>
        <button type="button" className="icon-button" onClick={() => editor.redo()} disabled={!canRedo} title="Redo (Ctrl+Shift+Z)" aria-label="Redo" data-testid="btn-redo">↷</button>
        <button type="button" className="icon-button" onClick={onShortcuts} title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts" data-testid="btn-shortcuts">?</button>
      </nav>
      <span className="topbar-spacer" />
      <EngineBadge />
    </header>
  );
}
