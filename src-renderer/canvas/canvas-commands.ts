import { addLayer, connect, connectionProblem, disconnect, LAYOUT_GAP, removeLayers } from '../../src-shared/graph/graph-edits.ts';
import { addBlockInstance, makeBlock } from '../../src-shared/graph/graph-blocks.ts';
import { copyFragment, pasteFragment, type GraphFragment } from '../../src-shared/graph/graph-clipboard.ts';
import type { ModelSpec, Position } from '../../src-shared/spec/model-spec.ts';
import type { EditorStore } from '../state/editor-store.ts';
import { parseEdgeId } from './graph-view-model.ts';

/**
 * The canvas's gestures as editor edits. Each is one undo entry, and each leaves the
 * selection where a person expects it (a new layer is selected, so its inspector opens).
 */

/** Adds a layer at a canvas position (a drop) and selects it. */
export function addLayerAt(editor: EditorStore, className: string, position: Position): void {
  let name = '';
  const ok = editor.edit((spec) => {
    const added = addLayer(spec, className, position);
    name = added.name;
    return added.spec;
  });
  if (ok) editor.select({ nodes: [name], edges: [] });
}

type Adder = (spec: ModelSpec, position: Position) => { spec: ModelSpec; name: string };

/**
 * Adds something (a layer, a block) below the selected layer — or the last one — and wires
 * it in when that makes sense, then selects it: the quickest way to stack a model without
 * aiming at handles (double-click or Enter in the palette).
 */
export function addBelowSelection(editor: EditorStore, add: Adder): void {
  const { spec, selection } = editor.get();
  const anchor = selection.nodes.length === 1 ? selection.nodes[0] : lastLayer(spec);
  const at = anchor ? spec.layout[anchor] : undefined;
  let name = '';
  const ok = editor.edit((s) => {
    const added = add(s, at ? { x: at.x, y: at.y + LAYOUT_GAP.y } : belowAll(s));
    name = added.name;
    if (anchor && connectionProblem(added.spec, anchor, name) === null) return connect(added.spec, anchor, name);
    return added.spec;
  });
  if (ok) editor.select({ nodes: [name], edges: [] });
}

export function addLayerAfterSelection(editor: EditorStore, className: string): void {
  addBelowSelection(editor, (s, position) => addLayer(s, className, position));
}

function belowAll(spec: ModelSpec): Position {
  const ys = Object.values(spec.layout).map((p) => p.y);
  return { x: 0, y: ys.length === 0 ? 0 : Math.max(...ys) + LAYOUT_GAP.y };
}

function lastLayer(spec: ModelSpec): string | undefined {
  return spec.config.layers.at(-1)?.name;
}

/** Deletes layers and edges as one edit (Delete key, inspector button). */
export function deleteElements(editor: EditorStore, nodeIds: readonly string[], edgeIds: readonly string[]): void {
  if (nodeIds.length === 0 && edgeIds.length === 0) return;
  editor.edit((spec) => {
    let next = removeLayers(spec, nodeIds);
    for (const id of edgeIds) {
      const e = parseEdgeId(id);
      if (e && next.config.layers.some((l) => l.name === e.to)) next = disconnect(next, e.from, e.to);
    }
    return next;
  });
  editor.select({ nodes: [], edges: [] });
}

export function connectLayers(editor: EditorStore, from: string, to: string): void {
  editor.edit((spec) => connect(spec, from, to));
}

/**
 * The in-window clipboard for layers. It also goes to the system clipboard as JSON (best
 * effort: a browser may refuse), so a piece can be pasted into another Strata window.
 */
let clipboard: { fragment: GraphFragment; pastes: number } | null = null;
const PASTE_STEP = 40;

/** Copies the selected layers (with the edges among them). Returns how many were copied. */
export function copySelection(editor: EditorStore): number {
  const { spec, selection } = editor.get();
  if (selection.nodes.length === 0) return 0;
  const fragment = copyFragment(spec, selection.nodes);
  clipboard = { fragment, pastes: 0 };
  void globalThis.navigator?.clipboard?.writeText(JSON.stringify(fragment)).catch(() => undefined);
  return fragment.layers.length;
}

/** Cut: copy, then delete the selection, as one undo step for the delete. */
export function cutSelection(editor: EditorStore): void {
  if (copySelection(editor) === 0) return;
  deleteElements(editor, editor.get().selection.nodes, []);
}

/** Pastes the clipboard as new layers, each paste a step further down-right, and selects them. */
export function pasteClipboard(editor: EditorStore): void {
  if (!clipboard) {
    editor.notify('Nothing to paste: select layers and press Ctrl+C first');
    return;
  }
  clipboard.pastes += 1;
  const offset = { x: PASTE_STEP * clipboard.pastes, y: PASTE_STEP * clipboard.pastes };
  const { fragment } = clipboard;
  let names: string[] = [];
  const ok = editor.edit((spec) => {
    const pasted = pasteFragment(spec, fragment, offset);
    names = pasted.names;
    return pasted.spec;
  });
  if (ok) editor.select({ nodes: names, edges: [] });
}

/** Ctrl+D: copy and paste in one go, leaving the clipboard as it was. */
export function duplicateSelection(editor: EditorStore): void {
  const saved = clipboard;
  if (copySelection(editor) === 0) return;
  pasteClipboard(editor);
  clipboard = saved;
}

export function selectAll(editor: EditorStore): void {
  editor.select({ nodes: editor.get().spec.config.layers.map((l) => l.name), edges: [] });
}

/** Turns the selected layers into one block instance (the inspector's "Make block"). */
export function makeBlockFromSelection(editor: EditorStore, names: readonly string[], blockName: string): void {
  let instance = '';
  const ok = editor.edit((spec) => {
    const made = makeBlock(spec, names, blockName.trim());
    instance = made.instance;
    return made.spec;
  });
  if (ok) editor.select({ nodes: [instance], edges: [] });
}

/** Adds an instance of a project block below the selection, wired to it when possible. */
export function addBlockAfterSelection(editor: EditorStore, blockName: string): void {
  addBelowSelection(editor, (s, position) => addBlockInstance(s, blockName, position));
}
