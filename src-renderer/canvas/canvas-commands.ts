import { addLayer, connect, connectionProblem, disconnect, LAYOUT_GAP, removeLayers } from '../../src-shared/graph/graph-edits.ts';
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

/**
 * Adds a layer below the selected one and wires it in when that makes sense (double-click
 * in the palette): the quickest way to stack a plain model without aiming at handles.
 */
export function addLayerAfterSelection(editor: EditorStore, className: string): void {
  const { spec, selection } = editor.get();
  const anchor = selection.nodes.length === 1 ? selection.nodes[0] : lastLayer(spec);
  const at = anchor ? spec.layout[anchor] : undefined;
  const position = at ? { x: at.x, y: at.y + LAYOUT_GAP.y } : undefined;
  let name = '';
  const ok = editor.edit((s) => {
    const added = addLayer(s, className, position);
    name = added.name;
    if (anchor && connectionProblem(added.spec, anchor, name) === null) return connect(added.spec, anchor, name);
    return added.spec;
  });
  if (ok) editor.select({ nodes: [name], edges: [] });
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
