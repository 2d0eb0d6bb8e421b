import { ReactFlowProvider } from '@xyflow/react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { addBlockAfterSelection, addLayerAfterSelection, copySelection, cutSelection, duplicateSelection, pasteClipboard, selectAll } from './canvas/canvas-commands.ts';
import { GraphCanvas } from './canvas/GraphCanvas.tsx';
import { Inspector } from './canvas/Inspector.tsx';
import { LayerPalette } from './canvas/LayerPalette.tsx';
import { BottomPanels, type PanelTab } from './panels/BottomPanels.tsx';
import { useAppStores } from './state/app-context.tsx';
import { BackupOffer } from './shell/BackupOffer.tsx';
import { ShortcutsHelp } from './shell/ShortcutsHelp.tsx';
import { StatusBar } from './shell/StatusBar.tsx';
import { TemplateDialog } from './shell/TemplateDialog.tsx';
import { TopBar } from './shell/TopBar.tsx';
import { useProjectFiles } from './shell/use-project-files.tsx';

/**
 * The window: top bar; palette | canvas over tabbed panels | inspector; status bar.
 * Laid out with CSS grid (see styles/app.css) so every pane keeps its place on resize.
 */
export function App() {
  const { editor } = useAppStores();
  const [templatesOpen, setTemplatesOpen] = useState(false);
  const [helpOpen, setHelpOpen] = useState(false);
  const [tab, setTab] = useState<PanelTab>('data');
  const openTemplates = useCallback(() => setTemplatesOpen(true), []);
  const files = useProjectFiles();
  const filesRef = useRef(files);
  useEffect(() => { filesRef.current = files; });

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === '?' && !isTyping(e.target) && !document.querySelector('[role="dialog"][aria-modal="true"]')) {
        e.preventDefault();
        setHelpOpen(true);
        return;
      }
      if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
      const key = e.key.toLowerCase();
      // Open and save work from anywhere, even while typing in a field (its value is already in the store).
      if (key === 'o' || key === 's') {
        e.preventDefault(); // not the browser's own "open file" / "save page"
        const f = filesRef.current;
        // Not over another dialog (a chooser, the template list): one question at a time.
        if (f.busy || document.querySelector('[role="dialog"][aria-modal="true"]')) return;
        if (key === 'o' && !e.shiftKey) void f.open();
        else if (key === 's') void (e.shiftKey ? f.saveAs() : f.save());
        return;
      }
      if (isTyping(e.target)) return;
      if (key === 'z' && !e.shiftKey) { e.preventDefault(); editor.undo(); }
      else if ((key === 'z' && e.shiftKey) || key === 'y') { e.preventDefault(); editor.redo(); }
      else if (key === 'c') { if (copySelection(editor) > 0) e.preventDefault(); }
      else if (key === 'x') { e.preventDefault(); cutSelection(editor); }
      else if (key === 'v') { e.preventDefault(); pasteClipboard(editor); }
      else if (key === 'd') { e.preventDefault(); duplicateSelection(editor); }
      else if (key === 'a') { e.preventDefault(); selectAll(editor); }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [editor]);

  return (
    <ReactFlowProvider>
      <div className="app">
        <TopBar onNewFromTemplate={openTemplates} onShortcuts={() => setHelpOpen(true)} files={files} />
        <LayerPalette onAdd={(className) => addLayerAfterSelection(editor, className)} onAddBlock={(name) => addBlockAfterSelection(editor, name)} />
        <main className="workspace">
          <GraphCanvas onEmptyAction={openTemplates} />
          <BottomPanels tab={tab} onTab={setTab} />
        </main>
        <Inspector />
        <StatusBar />
        {templatesOpen && <TemplateDialog onClose={() => setTemplatesOpen(false)} />}
        {helpOpen && <ShortcutsHelp onClose={() => setHelpOpen(false)} />}
        {files.element}
        <BackupOffer />
      </div>
    </ReactFlowProvider>
  );
}

function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}
