import type { GraphAnalysis } from '../../../../src-shared/graph/graph-analysis.ts';
import { blockNameOf, isBlockInstance } from '../../../../src-shared/graph/graph-blocks.ts';
import { autoLayout } from '../../../../src-shared/graph/graph-edits.ts';
import { formatShape, type ModelSpec } from '../../../../src-shared/spec/model-spec.ts';
import { count, html, type SafeHtml } from './html.ts';

/** The canvas' node box (graph-edits.ts lays positions out for this size). */
const NODE = { width: 184, height: 70 } as const;
const MARGIN = 16;
/** Longer names are cut on the box (the full name is in its tooltip and the layer table). */
const MAX_NAME = 22;
/** Room for text inside a box, and the kind's approximate glyph width (13 px, bold). */
const TEXT_WIDTH = NODE.width - 20;
const KIND_CHAR_WIDTH = 7.9;

function cut(text: string): string {
  return text.length <= MAX_NAME ? text : `${text.slice(0, MAX_NAME - 1)}…`;
}

/** A long kind (GlobalAveragePooling2D) is squeezed to the box rather than cut: it is the layer's identity. */
function kindLength(text: string): SafeHtml | '' {
  return text.length * KIND_CHAR_WIDTH > TEXT_WIDTH ? html` textLength="${TEXT_WIDTH}" lengthAdjust="spacingAndGlyphs"` : '';
}

function paramsLine(node: GraphAnalysis['nodes'][string] | undefined): string {
  if (!node?.params) return node?.issues.some((i) => i.severity === 'error') ? 'error' : '';
  const total = node.params.trainable + node.params.nonTrainable;
  if (total === 0) return 'no params';
  return `${count(total)} params${node.params.nonTrainable > 0 && node.params.trainable === 0 ? ' (frozen)' : ''}`;
}

/**
 * The model as the canvas draws it: one box per layer (kind, name, output shape, parameter
 * count), arrows along the connections. Positions come from the spec's own layout, so the
 * picture matches what the person arranged; layers without a position get the canvas'
 * layered layout (dagre), as a model opened from a file does.
 */
export function graphSvg(spec: ModelSpec, analysis: GraphAnalysis): SafeHtml {
  const laid = autoLayout(spec);
  const layers = laid.config.layers;
  if (layers.length === 0) return html`<p class="muted">The model has no layers.</p>`;
  const at = (name: string) => laid.layout[name]!;
  const xs = layers.map((l) => at(l.name).x);
  const ys = layers.map((l) => at(l.name).y);
  const minX = Math.min(...xs) - MARGIN;
  const minY = Math.min(...ys) - MARGIN;
  const width = Math.max(...xs) + NODE.width + MARGIN - minX;
  const height = Math.max(...ys) + NODE.height + MARGIN - minY;
  const names = new Set(layers.map((l) => l.name));

  const edges = layers.flatMap((layer) => layer.inbound.filter((from) => names.has(from)).map((from) => {
    const a = at(from);
    const b = at(layer.name);
    const [x1, y1] = [a.x + NODE.width / 2, a.y + NODE.height];
    const [x2, y2] = [b.x + NODE.width / 2, b.y - 3];
    const bend = Math.max(24, Math.abs(y2 - y1) / 2);
    const shape = analysis.nodes[from]?.outputShape;
    return html`<path class="edge" d="M${x1} ${y1} C${x1} ${y1 + bend} ${x2} ${y2 - bend} ${x2} ${y2}" marker-end="url(#report-arrow)"><title>${from} → ${layer.name}${shape ? ` ${formatShape(shape)}` : ''}</title></path>`;
  }));

  const boxes = layers.map((layer) => {
    const p = at(layer.name);
    const node = analysis.nodes[layer.name];
    const kind = isBlockInstance(layer) ? `Block ${blockNameOf(layer)}` : layer.class_name;
    const frozen = layer.trainable === false;
    const broken = node?.issues.some((i) => i.severity === 'error') ?? false;
    const shape = node?.outputShape ? formatShape(node.outputShape) : '?';
    const label = `${kind.length > 30 ? `${kind.slice(0, 29)}…` : kind}${frozen ? ' · frozen' : ''}`;
    const classes = ['layer', frozen ? 'frozen' : '', broken ? 'broken' : '', layer.class_name === 'Input' ? 'input' : ''].filter(Boolean).join(' ');
    return html`<g class="${classes}" data-layer="${layer.name}" transform="translate(${p.x} ${p.y})">
      <title>${layer.name} (${kind})${node?.issues.map((i) => `\n${i.severity}: ${i.message}`) ?? ''}</title>
      <rect width="${NODE.width}" height="${NODE.height}" rx="8"/>
      <text class="kind" x="10" y="20"${kindLength(label)}>${label}</text>
      <text class="name" x="10" y="38">${cut(layer.name)}</text>
      <text class="meta" x="10" y="57">${shape}</text>
      <text class="meta" x="${NODE.width - 10}" y="57" text-anchor="end">${paramsLine(node)}</text>
    </g>`;
  });

  return html`<svg class="graph" viewBox="${minX} ${minY} ${width} ${height}" width="${width}" role="img" aria-label="Model graph">
    <defs><marker id="report-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z"/></marker></defs>
    <g class="edges">${edges}</g><g class="layers">${boxes}</g></svg>`;
}

/** The same layers as a table: every name in full, with kind, shape and parameters. */
export function layerTable(spec: ModelSpec, analysis: GraphAnalysis): SafeHtml {
  const rows = spec.config.layers.map((layer) => {
    const node = analysis.nodes[layer.name];
    const params = node?.params ? node.params.trainable + node.params.nonTrainable : null;
    return html`<tr><td class="mono">${layer.name}</td><td>${isBlockInstance(layer) ? `Block ${blockNameOf(layer)}` : layer.class_name}${layer.trainable === false ? ' (frozen)' : ''}</td>
      <td class="mono">${node?.outputShape ? formatShape(node.outputShape) : '?'}</td><td class="num">${params === null ? '—' : count(params)}</td></tr>`;
  });
  return html`<table class="layers-table"><thead><tr><th>Layer</th><th>Kind</th><th>Output shape</th><th class="num">Params</th></tr></thead><tbody>${rows}</tbody></table>`;
}
