import type { z } from 'zod';
import { LayerShapeError, type LayerKind } from '../layers/layer-kind.ts';
import { getLayerKind } from '../layers/layer-catalog.ts';
import type { LayerSpec, ModelSpec, Shape } from '../spec/model-spec.ts';
import type { GraphAnalysis, GraphIssue, NodeAnalysis } from './graph-analysis.ts';
import { blockNameOf, flattenBlocks, isBlockInstance } from './graph-blocks.ts';
import { foldBlocks } from './fold-block-analysis.ts';
import { graphTopology, loopThrough, reachableFrom } from './graph-topology.ts';

/** Issues that mean a layer's wiring is broken; such a layer gets no DISCONNECTED warning on top. */
const WIRING_CODES = new Set<GraphIssue['code']>(['MISSING_INPUT', 'UNKNOWN_INBOUND', 'CYCLE']);

/**
 * Validates a spec and infers every layer's output shape and parameter count: what the
 * canvas shows live and what the engine checks before it builds anything. A layer whose
 * inputs are unknown (because of an error upstream) gets a null shape and no error of its
 * own, so one mistake shows up once, where it is.
 */
export function analyzeGraph(spec: ModelSpec, task: AnalysisTask = {}): GraphAnalysis {
  // Blocks are analysed in their flattened form and folded back into one node each.
  if (spec.config.layers.some(isBlockInstance)) {
    const flat = flattenBlocks(spec);
    return foldBlocks(spec, flat, analyzeFlat(flat, task));
  }
  return analyzeFlat(spec, task);
}

function analyzeFlat(spec: ModelSpec, task: AnalysisTask): GraphAnalysis {
  const layers = spec.config.layers;
  const byName = new Map<string, LayerSpec>();
  const graphIssues: GraphIssue[] = [];
  for (const layer of layers) {
    if (byName.has(layer.name)) {
      graphIssues.push(error('BAD_PARAM', `Two layers are named "${layer.name}": rename one of them`, layer.name, 'name'));
    } else {
      byName.set(layer.name, layer);
    }
  }

  const nodes: Record<string, NodeAnalysis> = {};
  const params = new Map<string, Record<string, unknown>>();
  for (const layer of byName.values()) {
    const node: NodeAnalysis = {
      name: layer.name, className: layer.class_name, inputShapes: [], outputShape: null, params: null, flops: null, activationBytes: null, issues: [],
    };
    nodes[layer.name] = node;
    const kind = getLayerKind(layer.class_name);
    if (!kind && isBlockInstance(layer)) {
      node.issues.push(error('UNKNOWN_KIND', `${layer.name} uses the block "${blockNameOf(layer)}", which is not in this project: delete it or make the block again`, layer.name));
    } else if (!kind) {
      node.issues.push(error('UNKNOWN_KIND', `Strata does not know the layer kind "${layer.class_name}": replace it with a layer from the palette`, layer.name));
    } else {
      const parsed = parseParams(kind, layer.config);
      if (parsed.success) params.set(layer.name, parsed.data);
      else node.issues.push(...paramIssues(layer.name, parsed.error));
    }
    node.issues.push(...wiringIssues(layer, kind, byName));
  }

  const topology = graphTopology([...byName.values()]);
  for (const cycle of topology.cycles) {
    for (const name of cycle) {
      const path = loopThrough(name, cycle, topology.consumers).join(' → ');
      nodes[name]?.issues.push(error('CYCLE', `${name} is part of a loop (${path}): data cannot flow in a circle — remove one of these connections`, name));
    }
  }

  inferShapes(topology.order, topology.inCycle, byName, nodes, params);

  const inputs = layers.filter((l) => l.class_name === 'Input' && byName.get(l.name) === l).map((l) => l.name);
  const connected = reachableFrom(inputs, topology.consumers);
  const outputs = [...byName.keys()].filter(
    (name) => connected.has(name) && !topology.inCycle.has(name) && (topology.consumers.get(name) ?? []).length === 0,
  );
  for (const [name, node] of Object.entries(nodes)) {
    if (!connected.has(name) && !node.issues.some((i) => WIRING_CODES.has(i.code))) {
      node.issues.push({ code: 'DISCONNECTED', severity: 'warning', layer: name, message: `${name} is not connected to an Input, so it is not part of the model yet` });
    }
  }
  if (outputs.length > 1) {
    for (const name of outputs) {
      const others = outputs.filter((o) => o !== name).join(', ');
      const message = `${name} ends the graph, and so does ${others}, but a model has one output: connect them into one layer (e.g. with Concatenate) or delete the extras`;
      nodes[name]?.issues.push(error('MULTIPLE_OUTPUTS', message, name));
    }
  }
  if (inputs.length === 0) {
    graphIssues.push(error('NO_INPUT_LAYER', 'The model has no Input layer: add an Input from the palette and connect it to the first layer'));
  } else if (outputs.length === 0) {
    graphIssues.push(error('NO_OUTPUT', 'The model has no output: every path from the Input runs into a loop'));
  }

  if (outputs.length === 1 && task.classes !== undefined) {
    const output = outputs[0]!;
    nodes[output]?.issues.push(...outputIssues(byName.get(output)!, nodes[output]!, task.classes));
  }

  const issues = [...Object.values(nodes).flatMap((n) => n.issues), ...graphIssues];
  const totals = { layers: layers.length, trainable: 0, nonTrainable: 0, flops: 0, activationBytes: 0 };
  for (const node of Object.values(nodes)) {
    totals.trainable += node.params?.trainable ?? 0;
    totals.nonTrainable += node.params?.nonTrainable ?? 0;
    totals.flops += node.flops ?? 0;
    totals.activationBytes += node.activationBytes ?? 0;
  }
  return { nodes, order: topology.order, inputs, outputs, totals, issues, valid: !issues.some((i) => i.severity === 'error') };
}

/** What the model is for, when known (the project's dataset): lets the analysis check the output. */
export interface AnalysisTask {
  /** Number of classes of a classification dataset. */
  classes?: number;
}

/**
 * A classifier's last layer must give one value per class, as probabilities: the usual
 * slips are a unit count left at its default and a missing softmax. Each gets a fix-it.
 */
function outputIssues(layer: LayerSpec, node: NodeAnalysis, classes: number): GraphIssue[] {
  const shape = node.outputShape;
  if (!shape) return [];
  const hasUnits = layer.class_name === 'Dense';
  if (shape.length !== 1 || shape[0] !== classes) {
    const message = `The output ${layer.name} gives ${shape.length === 1 ? `${shape[0]} values` : `shape (${shape.join(', ')})`} but the data has ${classes} classes: the last layer needs ${classes} units`;
    const fix = hasUnits
      ? { label: `Set units to ${classes}`, setParams: { units: classes, activation: 'softmax' } }
      : shape.length === 1
        ? { label: `Add Dense(${classes}, softmax) output`, appendAfter: { class_name: 'Dense', config: { units: classes, activation: 'softmax' } } }
        : undefined;
    return [{ code: 'OUTPUT_MISMATCH', severity: 'error', layer: layer.name, message, ...(fix && { fix }) }];
  }
  const activation = typeof layer.config.activation === 'string' ? layer.config.activation : layer.class_name === 'Dense' ? 'relu' : null;
  if (activation !== 'softmax' && (layer.class_name === 'Dense' || layer.class_name === 'Activation')) {
    return [{
      code: 'OUTPUT_MISMATCH', severity: 'warning', layer: layer.name,
      message: `The output ${layer.name} uses ${activation ?? 'no'} activation; a classifier's output is usually softmax (probabilities per class). Training treats it as logits.`,
      fix: { label: 'Use softmax', setParams: { activation: 'softmax' } },
    }];
  }
  return [];
}

/**
 * Parsed configs by config object. Edits are immutable and keep untouched layers' configs
 * as the same objects, so on a 1,000-layer graph an edit re-parses one config, not all.
 */
const parsedConfigs = new WeakMap<object, { kind: LayerKind; result: ReturnType<LayerKind['params']['safeParse']> }>();

function parseParams(kind: LayerKind, config: Record<string, unknown>): ReturnType<LayerKind['params']['safeParse']> {
  const hit = parsedConfigs.get(config);
  if (hit && hit.kind === kind) return hit.result;
  const result = kind.params.safeParse(config);
  parsedConfigs.set(config, { kind, result });
  return result;
}

function error(code: GraphIssue['code'], message: string, layer?: string, param?: string): GraphIssue {
  return { code, severity: 'error', message, ...(layer !== undefined && { layer }), ...(param !== undefined && { param }) };
}

/** One BAD_PARAM per field (its first problem), so a wrong tuple does not list itself twice. */
function paramIssues(layer: string, zodError: z.ZodError): GraphIssue[] {
  const byField = new Map<string, string>();
  for (const issue of zodError.issues) {
    const field = issue.path.length > 0 ? String(issue.path[0]) : 'config';
    if (byField.has(field)) continue;
    byField.set(field, issue.message.includes(field) ? issue.message : `${field}: ${issue.message}`);
  }
  return [...byField].map(([field, message]) => error('BAD_PARAM', message, layer, field));
}

function wiringIssues(layer: LayerSpec, kind: LayerKind | undefined, byName: ReadonlyMap<string, LayerSpec>): GraphIssue[] {
  const issues: GraphIssue[] = [];
  for (const from of new Set(layer.inbound)) {
    if (!byName.has(from)) {
      issues.push(error('UNKNOWN_INBOUND', `${layer.name} reads from "${from}", which does not exist: reconnect it to an existing layer`, layer.name));
    }
  }
  if (!kind) return issues;
  const count = layer.inbound.length;
  const { min, max } = kind.inputs;
  const cls = kind.className;
  if (count < min) {
    const message = count === 0
      ? `${cls} has no input: connect a layer into it`
      : `${cls} needs at least ${min} inputs but has ${count}: connect another layer into it`;
    issues.push(error('MISSING_INPUT', message, layer.name));
  } else if (count > max) {
    const message = max === 0
      ? `${cls} layers take no input: remove the connection from ${layer.inbound.join(', ')}`
      : `${cls} takes ${max === 1 ? 'one input' : `at most ${max} inputs`} but has ${count}: remove a connection, or merge the inputs first with Add or Concatenate`;
    issues.push(error('TOO_MANY_INPUTS', message, layer.name));
  }
  return issues;
}

/** Shape inference in topological order; only layers with no issue so far are inferred. */
function inferShapes(
  order: readonly string[],
  inCycle: ReadonlySet<string>,
  byName: ReadonlyMap<string, LayerSpec>,
  nodes: Record<string, NodeAnalysis>,
  params: ReadonlyMap<string, Record<string, unknown>>,
): void {
  for (const name of order) {
    const node = nodes[name];
    const layer = byName.get(name);
    const kind = layer && getLayerKind(layer.class_name);
    const config = params.get(name);
    if (!node || !layer || !kind || !config || inCycle.has(name) || node.issues.some((i) => i.severity === 'error')) continue;
    const inputShapes = layer.inbound.map((from) => nodes[from]?.outputShape ?? null);
    if (inputShapes.some((s) => s === null)) continue; // upstream already reported why
    const known = inputShapes as Shape[];
    node.inputShapes = known;
    try {
      node.outputShape = kind.inferShape(known, config);
      const counted = kind.countParams(known, config);
      // A frozen layer's weights all stay put: Keras counts them as non-trainable too.
      node.params = layer.trainable === false ? { trainable: 0, nonTrainable: counted.trainable + counted.nonTrainable } : counted;
      node.flops = kind.flops(known, config, node.outputShape);
      node.activationBytes = node.outputShape.every((d) => d !== null) ? 4 * node.outputShape.reduce<number>((n, d) => n * (d ?? 0), 1) : null;
    } catch (err) {
      node.outputShape = null;
      node.params = null;
      if (err instanceof LayerShapeError) {
        node.issues.push({
          ...error('SHAPE', err.message, name), ...(err.fix && { fix: err.fix }),
          ...(err.otherFixes.length > 0 && { otherFixes: [...err.otherFixes] }),
        });
      } else {
        // A bug in a kind's inference must not take the canvas down; show it on the node.
        node.issues.push(error('SHAPE', `${kind.className} could not work out its output shape: ${err instanceof Error ? err.message : String(err)}`, name));
      }
    }
  }
}
