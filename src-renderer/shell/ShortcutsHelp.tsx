import { Modal } from './Modal.tsx';

/** Every keyboard shortcut of the window, in one list: the help overlay shows exactly this. */
export const SHORTCUTS: ReadonlyArray<{ keys: string; does: string }> = [
  { keys: 'Ctrl+Z', does: 'undo the last model edit (a whole drag is one step)' },
  { keys: 'Ctrl+Shift+Z / Ctrl+Y', does: 'redo' },
  { keys: 'Ctrl+C / Ctrl+X / Ctrl+V', does: 'copy, cut, paste the selected layers with the connections among them' },
  { keys: 'Ctrl+D', does: 'duplicate the selected layers' },
  { keys: 'Ctrl+A', does: 'select every layer' },
  { keys: 'Shift+click, Shift+drag', does: 'add to the selection; draw a box to select' },
  { keys: 'Delete / Backspace', does: 'delete the selected layers and connections' },
  { keys: 'Shift+L', does: 'tidy up: lay out every layer top to bottom' },
  { keys: 'F', does: 'fit the model into view' },
  { keys: 'Ctrl+O / Ctrl+S / Ctrl+Shift+S', does: 'open, save, save as' },
  { keys: '?', does: 'show this list' },
];

export function ShortcutsHelp({ onClose }: { onClose(): void }) {
  return (
    <Modal title="Keyboard shortcuts" onClose={onClose} testId="shortcuts-help">
      <table className="shortcuts-table">
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.keys}><td><kbd>{s.keys}</kbd></td><td>{s.does}</td></tr>
          ))}
        </tbody>
      </table>
      <p className="muted">On a Mac, Cmd works wherever Ctrl is shown.</p>
    </Modal>
  );
}
