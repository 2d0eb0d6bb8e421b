import type { Edge, Node } from '@xyflow/react';
import type { GraphAnalysis, GraphIssue, NodeAnalysis } from '../../src-shared/graph/graph-analysis.ts';
import { getLayerKind } from '../../src-shared/layers/layer-catalog.ts';
import type { LayerCategory } from '../../src-shared/layers/layer-kind.ts';
import { BLOCK_CLASS, formatShape, type LayerSpec, type ModelSpec } from '../../src-shared/spec/model-spec.ts';

/**
 * Pure conversion from the model (spec + analysis) to what React Flow draws. Keeping it
 * here, away from React, means the canvas is a thin view and this is testable as data.
 */

export interface LayerNodeData extends Record<string, unknown> {
  className: string;
  name: string;
  category: LayerCategory | 'Block' | 'Unknown';
  /** A block shows what goes in as well as what comes out (null for plain layers). */
  inputShape: string | null;
  /** "(24, 24, 6)", or null when it cannot be known. */
  outputShape: string | null;
  /** Total parameters (trainable + not), or null when unknown. */
  params: number | null;
  severity: 'error' | 'warning' | null;
  /** The layer's own problems, worst first. */
  issues: GraphIssue[];
  /** False for layers that take no input (Input): no target handle. */
  acceptsInput: boolean;
  /** A frozen layer keeps its weights while the rest trains. */
  frozen: boolean;
}

export interface ShapeEdgeData extends Record<string, unknown> {
  /** The tensor shape flowing along this edge, e.g. "(24, 24, 6)"; "?" when unknown. */
  shape: string;
  /** The receiving layer rejects its inputs' shapes: draw the edge as the culprit. */
  mismatch: boolean;
}

export type LayerFlowNode = Node<LayerNodeData, 'layer'>;
export type ShapeFlowEdge = Edge<ShapeEdgeData, 'shape'>;

/** Where a layer without a saved position goes: a simple column, until auto-layout runs. */
export function fallbackPosition(index: number): { x: number; y: number } {
  return { x: 80, y: 40 + index * 110 };
}

export function toFlowNodes(spec: ModelSpec, analysis: GraphAnalysis, selected: ReadonlySet<string>): LayerFlowNode[] {
  return spec.config.layers.map((layer, i) => toFlowNode(layer, spec.layout[layer.name] ?? fallbackPosition(i), analysis.nodes[layer.name], selected.has(layer.name)));
}

/** One layer as a canvas node: what it is, its output shape and parameters, its problems. */
export function toFlowNode(layer: LayerSpec, position: { x: number; y: number }, node: NodeAnalysis | undefined, selected: boolean): LayerFlowNode {
  const kind = getLayerKind(layer.class_name);
  const issues = [...(node?.issues ?? [])].sort((a, b) => rank(a) - rank(b));
  const severity = issues.some((x) => x.severity === 'error') ? 'error' : issues.length > 0 ? 'warning' : null;
  return {
    id: layer.name,
    type: 'layer',
    position,
    selected,
    data: {
      className: layer.class_name === BLOCK_CLASS ? `Block · ${String(layer.config.block ?? '?')}` : layer.class_name,
      name: layer.name,
      category: layer.class_name === BLOCK_CLASS ? 'Block' : kind?.category ?? 'Unknown',
      inputShape: layer.class_name === BLOCK_CLASS && node?.inputShapes[0] ? formatShape(node.inputShapes[0]) : null,
      outputShape: node?.outputShape ? formatShape(node.outputShape) : null,
      params: node?.params ? node.params.trainable + node.params.nonTrainable : null,
      severity,
      issues,
      acceptsInput: kind ? kind.inputs.max > 0 : true,
      frozen: layer.trainable === false,
    },
  };
}

/** Edge ids carry the inbound slot, because a layer may read the same input twice (Add(x, x)). */
export function edgeId(from: string, to: string, slot: number): string {
  return `${from}->${to}#${slot}`;
}

export function parseEdgeId(id: string): { from: string; to: string; slot: number } | null {
  const m = /^(.*)->(.*)#(\d+)$/.exec(id);
  return m ? { from: m[1] as string, to: m[2] as string, slot: Number(m[3]) } : null;
}

export function toFlowEdges(spec: ModelSpec, analysis: GraphAnalysis, selected: ReadonlySet<string>): ShapeFlowEdge[] {
  const names = new Set(spec.config.layers.map((l) => l.name));
  const edges: ShapeFlowEdge[] = [];
  for (const layer of spec.config.layers) {
    const target = analysis.nodes[layer.name];
    const mismatch = (target?.issues ?? []).some((i) => i.code === 'SHAPE' && i.severity === 'error');
    layer.inbound.forEach((from, slot) => {
      if (!names.has(from)) return; // an unknown inbound is an issue on the node, not an edge
      const shape = analysis.nodes[from]?.outputShape;
      const id = edgeId(from, layer.name, slot);
      edges.push({
        id, type: 'shape', source: from, target: layer.name, selected: selected.has(id),
        data: { shape: shape ? formatShape(shape) : '?', mismatch },
      });
    });
  }
  return edges;
}

function rank(issue: GraphIssue): number {
  return issue.severity === 'error' ? 0 : 1;
}

/** 1234567 → "1.23M", 12345 → "12,345": compact where the node is small. */
/** FLOPs in engineering units: 1.2 GFLOPs, 340 kFLOPs. */
export function formatFlops(n: number): string {
  const units: Array<[number, string]> = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
  for (const [size, prefix] of units) if (n >= size) return `${(n / size).toFixed(n >= size * 100 ? 0 : 1)} ${prefix}FLOPs`;
  return `${n} FLOPs`;
}

/** Bytes as memory sizes: 3.1 MB, 12 kB. */
export function formatBytes(n: number): string {
  const units: Array<[number, string]> = [[1e9, 'GB'], [1e6, 'MB'], [1e3, 'kB']];
  for (const [size, unit] of units) if (n >= size) return `${(n / size).toFixed(n >= size * 100 ? 0 : 1)} ${unit}`;
  return `${n} B`;
}

export function formatCount(n: number): string {
  if (n >= 10_000_000) return `${(n / 1_000_000).toFixed(1)}M`;
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(2)}M`;
  return n.toLocaleString('en-US');
}
