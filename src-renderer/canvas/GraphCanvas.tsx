import {
  Background, BackgroundVariant, ControlButton, Controls, MiniMap, ReactFlow, useReactFlow,
  type Connection, type Edge, type EdgeChange, type FinalConnectionState, type Node, type NodeChange,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { addBlockInstance } from '../../src-shared/graph/graph-blocks.ts';
import { autoLayout, connectionProblem, moveLayer } from '../../src-shared/graph/graph-edits.ts';
import { useAppStores, useEditor } from '../state/app-context.tsx';
import { addLayerAt, connectLayers, deleteElements } from './canvas-commands.ts';
import type { GraphAnalysis } from '../../src-shared/graph/graph-analysis.ts';
import type { ModelSpec } from '../../src-shared/spec/model-spec.ts';
import { fallbackPosition, toFlowEdges, toFlowNode, type LayerFlowNode } from './graph-view-model.ts';
import { LayerNode } from './LayerNode.tsx';
import { BLOCK_DRAG_TYPE, LAYER_DRAG_TYPE } from './LayerPalette.tsx';
import { ShapeEdge } from './ShapeEdge.tsx';

const nodeTypes = { layer: LayerNode };
const edgeTypes = { shape: ShapeEdge };
/** Matches .layer-node's width in CSS, so a dropped layer lands centred under the cursor. */
export const NODE_WIDTH = 184;

type Size = { width: number; height: number };
/** Below this zoom node text is too small to read; fitting stops here and the canvas scrolls. */
const READABLE_ZOOM = 0.75;

/**
 * The model canvas. React Flow runs controlled: nodes and edges are derived from the spec
 * on every render, and each change React Flow reports is turned into an editor edit (moves,
 * connections, deletions) or a selection change (never history).
 */
export function GraphCanvas({ onEmptyAction }: { onEmptyAction(): void }) {
  const { editor } = useAppStores();
  const spec = useEditor((s) => s.spec);
  const analysis = useEditor((s) => s.analysis);
  const selection = useEditor((s) => s.selection);
  const loadCount = useEditor((s) => s.loadCount);
  const notice = useEditor((s) => s.notice);
  const { screenToFlowPosition, fitView, getNodes, getNodesBounds, setViewport } = useReactFlow();
  const wrapper = useRef<HTMLDivElement>(null);
  // React Flow measures nodes itself; derived nodes must carry those sizes back (as
  // `measured` only: width/height would pin the size and stop it from re-measuring).
  const [sizes, setSizes] = useState<Record<string, Size>>({});

  // Node objects are reused while nothing about their layer changed, so dragging one node in
  // a 500-node graph re-renders that node, not all of them (LayerNode is memoised on props).
  const nodeCache = useRef(new Map<string, { key: readonly unknown[]; node: LayerFlowNode }>());
  const nodes = useMemo(() => {
    const selected = new Set(selection.nodes);
    const cache = nodeCache.current;
    const next = toFlowNodesCached(spec, analysis, selected, sizes, cache);
    if (cache.size > next.length) {
      const live = new Set(next.map((n) => n.id));
      for (const name of [...cache.keys()]) if (!live.has(name)) cache.delete(name);
    }
    return next;
  }, [spec, analysis, selection.nodes, sizes]);
  // Edges depend on the graph, not on positions: a drag keeps the very same edge list.
  const config = spec.config;
  const edges = useMemo(() => toFlowEdges({ ...spec, config }, analysis, new Set(selection.edges)), [config, analysis, selection.edges]);

  /**
   * Fits a loaded model into view, but never below a readable zoom: a deep model (LeNet is
   * nine rows) is shown from its Input down at a legible size rather than as a tiny strip.
   */
  const fitReadable = useCallback(() => {
    const box = wrapper.current?.getBoundingClientRect();
    const all = getNodes();
    if (!box || all.length === 0) return;
    const b = getNodesBounds(all);
    const pad = 48;
    const zoom = Math.min(box.width / (b.width + pad * 2), box.height / (b.height + pad * 2), 1.1);
    if (zoom >= READABLE_ZOOM) {
      void fitView({ padding: 0.15, maxZoom: 1.1, duration: 200 });
      return;
    }
    const z = Math.max(READABLE_ZOOM, Math.min(1, box.width / (b.width + pad * 2)));
    void setViewport({ x: box.width / 2 - (b.x + b.width / 2) * z, y: 24 - b.y * z, zoom: z }, { duration: 200 });
  }, [fitView, getNodes, getNodesBounds, setViewport]);

  useEffect(() => {
    if (loadCount === 0) return;
    // Wait for React Flow to measure the new nodes; bounds of unmeasured nodes are empty.
    const t = setTimeout(fitReadable, 80);
    return () => clearTimeout(t);
  }, [loadCount, fitReadable]);

  // F fits the model; Shift+L lays it out (both listed in the shortcuts help).
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.ctrlKey || e.metaKey || e.altKey || isTypingTarget(e.target) || document.querySelector('[role="dialog"][aria-modal="true"]')) return;
      if (e.key === 'f' || e.key === 'F') { e.preventDefault(); fitReadable(); }
      else if (e.key === 'L' && e.shiftKey) { e.preventDefault(); editor.edit((s) => autoLayout(s, { all: true })); setTimeout(fitReadable, 50); }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [editor, fitReadable]);

  useEffect(() => {
    if (!notice) return;
    const t = setTimeout(() => editor.clearNotice(notice.id), 4500);
    return () => clearTimeout(t);
  }, [notice, editor]);

  const onNodesChange = useCallback((changes: NodeChange<LayerFlowNode>[]) => {
    const resized: Record<string, Size> = {};
    const picked = new Map<string, boolean>();
    for (const c of changes) {
      if (c.type === 'dimensions' && c.dimensions) resized[c.id] = c.dimensions;
      else if (c.type === 'select') picked.set(c.id, c.selected);
      else if (c.type === 'position' && c.position) {
        const { id, position } = c;
        editor.edit((s) => (s.config.layers.some((l) => l.name === id) ? moveLayer(s, id, { x: Math.round(position.x), y: Math.round(position.y) }) : s));
      }
    }
    if (Object.keys(resized).length > 0) setSizes((prev) => ({ ...prev, ...resized }));
    if (picked.size > 0) {
      const sel = editor.get().selection;
      editor.select({ ...sel, nodes: applyPicks(sel.nodes, picked) });
    }
  }, [editor]);

  // Removal arrives through onDelete (one edit for nodes and edges together); only selection here.
  const onEdgesChange = useCallback((changes: EdgeChange[]) => {
    const picked = new Map<string, boolean>();
    for (const c of changes) if (c.type === 'select') picked.set(c.id, c.selected);
    if (picked.size > 0) {
      const sel = editor.get().selection;
      editor.select({ ...sel, edges: applyPicks(sel.edges, picked) });
    }
  }, [editor]);

  const onConnect = useCallback((c: Connection) => {
    if (c.source && c.target) connectLayers(editor, c.source, c.target);
  }, [editor]);

  /**
   * A drag that did not end on a valid handle: dropped on a node's body, connect to it
   * anyway (a big target is easier to hit); refused, say why instead of silently snapping back.
   */
  const onConnectEnd = useCallback((event: MouseEvent | TouchEvent, state: FinalConnectionState) => {
    if (state.isValid === true || !state.fromNode) return; // a valid drop already went through onConnect
    const other = state.toNode?.id ?? nodeIdAt(event);
    if (!other || other === state.fromNode.id) return;
    const [from, to] = state.fromHandle?.type === 'target' ? [other, state.fromNode.id] : [state.fromNode.id, other];
    const problem = connectionProblem(editor.get().spec, from, to);
    if (problem) editor.notify(problem);
    else connectLayers(editor, from, to);
  }, [editor]);

  const isValidConnection = useCallback((c: Connection | Edge) =>
    Boolean(c.source && c.target) && connectionProblem(editor.get().spec, c.source, c.target) === null, [editor]);

  const onDelete = useCallback(({ nodes: n, edges: e }: { nodes: Node[]; edges: Edge[] }) => {
    deleteElements(editor, n.map((x) => x.id), e.map((x) => x.id));
  }, [editor]);

  const onDragOver = useCallback((e: DragEvent) => {
    if (!e.dataTransfer.types.includes(LAYER_DRAG_TYPE) && !e.dataTransfer.types.includes(BLOCK_DRAG_TYPE)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  }, []);

  const onDrop = useCallback((e: DragEvent) => {
    const className = e.dataTransfer.getData(LAYER_DRAG_TYPE);
    const blockName = e.dataTransfer.getData(BLOCK_DRAG_TYPE);
    if (!className && !blockName) return;
    e.preventDefault();
    const p = screenToFlowPosition({ x: e.clientX, y: e.clientY });
    const at = { x: Math.round(p.x - NODE_WIDTH / 2), y: Math.round(p.y - 20) };
    if (blockName) {
      let name = '';
      if (editor.edit((s) => { const added = addBlockInstance(s, blockName, at); name = added.name; return added.spec; })) editor.select({ nodes: [name], edges: [] });
    } else {
      addLayerAt(editor, className, at);
    }
  }, [editor, screenToFlowPosition]);

  return (
    <div className="canvas" data-testid="canvas" ref={wrapper} onDragOver={onDragOver} onDrop={onDrop}>
      <ReactFlow<LayerFlowNode>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onConnectEnd={onConnectEnd}
        isValidConnection={isValidConnection}
        onDelete={onDelete}
        onNodeDragStart={() => editor.beginGesture()}
        onNodeDragStop={() => editor.endGesture()}
        deleteKeyCode={['Delete', 'Backspace']}
        multiSelectionKeyCode={['Shift', 'Meta', 'Control']}
        minZoom={0.2}
        maxZoom={2}
        proOptions={{ hideAttribution: true }}
        onlyRenderVisibleElements={spec.config.layers.length > 150}
        colorMode="dark"
      >
        <Background variant={BackgroundVariant.Dots} gap={20} size={1} />
        <MiniMap pannable zoomable className="canvas-minimap" style={{ width: 168, height: 112 }} nodeClassName={(n) => `minimap-node ${String((n.data as { severity?: string | null }).severity ?? '')}`} />
        <Controls showInteractive={false} showFitView={false}>
          <ControlButton onClick={fitReadable} title="Fit model" aria-label="Fit model" data-testid="btn-fit-view">⤢</ControlButton>
          <ControlButton
            onClick={() => { editor.edit((s) => autoLayout(s, { all: true })); setTimeout(fitReadable, 50); }}
            title="Tidy up: lay out every layer top to bottom" aria-label="Auto-layout" data-testid="btn-auto-layout"
          >
            ☰
          </ControlButton>
        </Controls>
      </ReactFlow>
      {spec.config.layers.length === 0 && (
        <div className="canvas-empty" data-testid="canvas-empty">
          <p>Drag a layer from the palette onto the canvas,</p>
          <p>or <button type="button" className="link-button" onClick={onEmptyAction} data-testid="btn-empty-template">start from a template</button>.</p>
        </div>
      )}
      {notice && <div className="canvas-notice" role="status" data-testid="canvas-notice">{notice.text}</div>}
    </div>
  );
}

function toFlowNodesCached(
  spec: ModelSpec, analysis: GraphAnalysis, selected: ReadonlySet<string>,
  sizes: Record<string, Size>, cache: Map<string, { key: readonly unknown[]; node: LayerFlowNode }>,
): LayerFlowNode[] {
  return spec.config.layers.map((layer, i) => {
    const key = [layer, analysis.nodes[layer.name], selected.has(layer.name), spec.layout[layer.name], sizes[layer.name], i];
    const hit = cache.get(layer.name);
    if (hit && hit.key.length === key.length && hit.key.every((k, j) => k === key[j])) return hit.node;
    const fresh = toFlowNode(layer, spec.layout[layer.name] ?? fallbackPosition(i), analysis.nodes[layer.name], selected.has(layer.name));
    const size = sizes[layer.name];
    const node = size ? { ...fresh, measured: size } : fresh;
    cache.set(layer.name, { key, node });
    return node;
  });
}

function isTypingTarget(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

function applyPicks(current: readonly string[], picked: ReadonlyMap<string, boolean>): string[] {
  const next = current.filter((id) => picked.get(id) !== false);
  for (const [id, on] of picked) if (on && !next.includes(id)) next.push(id);
  return next;
}

function nodeIdAt(event: MouseEvent | TouchEvent): string | null {
  const point = 'changedTouches' in event ? event.changedTouches[0] : event;
  if (!point) return null;
  const el = document.elementFromPoint(point.clientX, point.clientY);
  return el?.closest('.react-flow__node')?.getAttribute('data-id') ?? null;
}
