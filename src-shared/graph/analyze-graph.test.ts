import { describe, expect, it } from 'vitest';
import { MODEL_SPEC_VERSION, type ModelSpec } from '../spec/model-spec.ts';
import { getTemplate } from '../spec/templates.ts';
import { analyzeGraph } from './analyze-graph.ts';
import type { GraphAnalysis } from './graph-analysis.ts';

type Row = [name: string, className: string, inbound?: string[], config?: Record<string, unknown>];

/** A spec from compact rows: [name, class, inbound, config]. */
function spec(rows: Row[]): ModelSpec {
  return {
    schemaVersion: MODEL_SPEC_VERSION,
    class_name: 'Model',
    config: { name: 'test', layers: rows.map(([name, class_name, inbound = [], config = {}]) => ({ name, class_name, inbound, config })) },
    layout: {},
  };
}

/** The parts of an analysis a test usually reads: each node's shape and params, then the issues. */
function summary(analysis: GraphAnalysis) {
  return {
    nodes: Object.fromEntries(Object.values(analysis.nodes).map((n) => [n.name, [n.outputShape, n.params]])),
    issues: analysis.issues,
  };
}

function issues(rows: Row[]) {
  return analyzeGraph(spec(rows)).issues.map(({ code, severity, layer, param, message }) => ({ code, severity, layer, param, message }));
}

const chain: Row[] = [
  ['in', 'Input', [], { shape: [8] }],
  ['dense', 'Dense', ['in'], { units: 4 }],
];

describe('analyzeGraph', () => {
  it('infers every shape and parameter count of the MLP template', () => {
    const analysis = analyzeGraph(getTemplate('mlp')!.build());
    expect({ ...summary(analysis), order: analysis.order, inputs: analysis.inputs, outputs: analysis.outputs, totals: analysis.totals, valid: analysis.valid }).toEqual({
      nodes: {
        input_1: [[28, 28, 1], { trainable: 0, nonTrainable: 0 }],
        flatten_1: [[784], { trainable: 0, nonTrainable: 0 }],
        dense_1: [[128], { trainable: 100_480, nonTrainable: 0 }],
        dropout_1: [[128], { trainable: 0, nonTrainable: 0 }],
        dense_2: [[10], { trainable: 1290, nonTrainable: 0 }],
      },
      issues: [],
      order: ['input_1', 'flatten_1', 'dense_1', 'dropout_1', 'dense_2'],
      inputs: ['input_1'],
      outputs: ['dense_2'],
      totals: { layers: 5, trainable: 101_770, nonTrainable: 0, flops: 2 * 784 * 128 + 128 + 128 + 2 * 128 * 10 + 10 + 30, activationBytes: 4 * (784 + 784 + 128 + 128 + 10) },
      valid: true,
    });
  });

  it('infers every shape and parameter count of LeNet-5', () => {
    const analysis = analyzeGraph(getTemplate('lenet')!.build({ classes: 10 }));
    expect(summary(analysis)).toEqual({
      nodes: {
        input_1: [[28, 28, 1], { trainable: 0, nonTrainable: 0 }],
        conv2d_1: [[28, 28, 6], { trainable: 156, nonTrainable: 0 }],
        max_pooling2d_1: [[14, 14, 6], { trainable: 0, nonTrainable: 0 }],
        conv2d_2: [[10, 10, 16], { trainable: 2416, nonTrainable: 0 }],
        max_pooling2d_2: [[5, 5, 16], { trainable: 0, nonTrainable: 0 }],
        flatten_1: [[400], { trainable: 0, nonTrainable: 0 }],
        dense_1: [[120], { trainable: 48_120, nonTrainable: 0 }],
        dense_2: [[84], { trainable: 10_164, nonTrainable: 0 }],
        dense_3: [[10], { trainable: 850, nonTrainable: 0 }],
      },
      issues: [],
    });
    expect(analysis.totals).toMatchObject({ layers: 9, trainable: 61_706, nonTrainable: 0 });
  });

  it('records input shapes per node and counts non-trainable weights in the totals', () => {
    const analysis = analyzeGraph(spec([
      ['in', 'Input', [], { shape: [4, 4, 3] }],
      ['bn', 'BatchNormalization', ['in']],
      ['a', 'Conv2D', ['bn'], { filters: 2, kernel_size: [1, 1] }],
      ['b', 'Conv2D', ['bn'], { filters: 5, kernel_size: [1, 1] }],
      ['cat', 'Concatenate', ['a', 'b']],
      ['gap', 'GlobalAveragePooling2D', ['cat']],
    ]));
    expect(analysis.nodes.cat).toEqual({
      name: 'cat', className: 'Concatenate', inputShapes: [[4, 4, 2], [4, 4, 5]], outputShape: [4, 4, 7],
      params: { trainable: 0, nonTrainable: 0 }, flops: 0, activationBytes: 4 * 4 * 4 * 7, issues: [],
    });
    expect(analysis.totals).toMatchObject({ layers: 6, trainable: 6 + 8 + 20, nonTrainable: 6 });
    expect(analysis.order).toEqual(['in', 'bn', 'a', 'b', 'cat', 'gap']);
  });

  it('reports an unknown kind and a bad parameter per field, naming the field', () => {
    expect(issues([...chain, ['mystery', 'Capsule', ['dense']]]).filter((i) => i.layer === 'mystery')).toEqual([
      { code: 'UNKNOWN_KIND', severity: 'error', layer: 'mystery', param: undefined, message: 'Strata does not know the layer kind "Capsule": replace it with a layer from the palette' },
    ]);
    expect(issues([['in', 'Input', [], { shape: [8] }], ['dense', 'Dense', ['in'], { units: 0, activation: 'banana', kernel_size: 'ignored' }]])).toEqual([
      { code: 'BAD_PARAM', severity: 'error', layer: 'dense', param: 'units', message: 'units must be at least 1' },
      { code: 'BAD_PARAM', severity: 'error', layer: 'dense', param: 'activation', message: 'activation must be one of: linear, relu, sigmoid, tanh, softmax, elu, selu, softplus, swish, gelu' },
    ]);
  });

  it('reports wiring problems: unknown inbound, missing and extra inputs', () => {
    expect(issues([...chain, ['ghostly', 'Dense', ['ghost']]]).filter((i) => i.code !== 'MULTIPLE_OUTPUTS')).toEqual([
      { code: 'UNKNOWN_INBOUND', severity: 'error', layer: 'ghostly', param: undefined, message: 'ghostly reads from "ghost", which does not exist: reconnect it to an existing layer' },
    ]);
    expect(issues([['in', 'Input', [], { shape: [8] }], ['d', 'Dense'], ['out', 'Dense', ['in', 'd']]])).toEqual([
      { code: 'MISSING_INPUT', severity: 'error', layer: 'd', param: undefined, message: 'Dense has no input: connect a layer into it' },
      { code: 'TOO_MANY_INPUTS', severity: 'error', layer: 'out', param: undefined, message: 'Dense takes one input but has 2: remove a connection, or merge the inputs first with Add or Concatenate' },
    ]);
    expect(issues([['in', 'Input', [], { shape: [8] }], ['add', 'Add', ['in']]]).map((i) => i.message)).toEqual([
      'Add needs at least 2 inputs but has 1: connect another layer into it',
    ]);
  });

  it('marks every layer of a loop, and says the model then has no output', () => {
    // Data flows a → c → b → a, against the order the layers are listed in.
    expect(issues([['in', 'Input', [], { shape: [8] }], ['a', 'Add', ['in', 'b']], ['b', 'Dense', ['c']], ['c', 'Dense', ['a']]])).toEqual([
      ...['a → c → b → a', 'b → a → c → b', 'c → b → a → c'].map((loop) => ({
        code: 'CYCLE', severity: 'error', layer: loop[0], param: undefined,
        message: `${loop[0]} is part of a loop (${loop}): data cannot flow in a circle — remove one of these connections`,
      })),
      { code: 'NO_OUTPUT', severity: 'error', layer: undefined, param: undefined, message: 'The model has no output: every path from the Input runs into a loop' },
    ]);
    expect(issues([['in', 'Input', [], { shape: [8] }], ['self', 'Dense', ['self']]]).map((i) => [i.code, i.layer])).toEqual([
      ['CYCLE', 'self'],
    ]);
  });

  it('requires an Input layer and exactly one output', () => {
    expect(issues([])).toEqual([
      { code: 'NO_INPUT_LAYER', severity: 'error', layer: undefined, param: undefined, message: 'The model has no Input layer: add an Input from the palette and connect it to the first layer' },
    ]);
    const advice = 'but a model has one output: connect them into one layer (e.g. with Concatenate) or delete the extras';
    expect(issues([['in', 'Input', [], { shape: [8] }], ['a', 'Dense', ['in']], ['b', 'Dense', ['in']], ['c', 'Input', [], { shape: [2] }]])).toEqual([
      { code: 'MULTIPLE_OUTPUTS', severity: 'error', layer: 'a', param: undefined, message: `a ends the graph, and so does b, c, ${advice}` },
      { code: 'MULTIPLE_OUTPUTS', severity: 'error', layer: 'b', param: undefined, message: `b ends the graph, and so does a, c, ${advice}` },
      { code: 'MULTIPLE_OUTPUTS', severity: 'error', layer: 'c', param: undefined, message: `c ends the graph, and so does a, b, ${advice}` },
    ]);
  });

  it('warns about layers not connected to an Input, without repeating the error that explains it', () => {
    const analysis = analyzeGraph(spec([...chain, ['loose', 'Dense'], ['after', 'Dropout', ['loose']]]));
    expect(analysis.issues.map(({ code, severity, layer }) => [code, severity, layer])).toEqual([
      ['MISSING_INPUT', 'error', 'loose'],
      ['DISCONNECTED', 'warning', 'after'],
    ]);
    expect(analysis.outputs).toEqual(['dense']);
  });

  it('reports a shape error once, where it happens, with its fix, and leaves downstream shapes unknown', () => {
    const analysis = analyzeGraph(spec([
      ['in', 'Input', [], { shape: [28, 28, 1] }],
      ['hidden', 'Dense', ['in'], { units: 16 }],
      ['drop', 'Dropout', ['hidden']],
      ['out', 'Dense', ['drop'], { units: 10 }],
    ]));
    expect(summary(analysis)).toEqual({
      nodes: { in: [[28, 28, 1], { trainable: 0, nonTrainable: 0 }], hidden: [null, null], drop: [null, null], out: [null, null] },
      issues: [{
        code: 'SHAPE', severity: 'error', layer: 'hidden',
        message: 'Dense needs a flat list of features but gets (28, 28, 1) — insert a Flatten',
        fix: { label: 'Insert Flatten', insertBefore: { class_name: 'Flatten' } },
        otherFixes: [{ label: 'Insert GlobalAveragePooling2D', insertBefore: { class_name: 'GlobalAveragePooling2D' } }],
      }],
    });
    expect(analysis.valid).toBe(false);
  });

  it('accepts a blank model (only an Input) as valid', () => {
    const analysis = analyzeGraph(getTemplate('blank')!.build());
    expect({ valid: analysis.valid, inputs: analysis.inputs, outputs: analysis.outputs, issues: analysis.issues })
      .toEqual({ valid: true, inputs: ['input_1'], outputs: ['input_1'], issues: [] });
  });

  it('keeps warnings from making a graph invalid', () => {
    const analysis = analyzeGraph(spec([...chain, ['a', 'Dense', ['b']], ['b', 'Dense', ['a']]]));
    expect(analysis.issues.every((i) => i.code === 'CYCLE')).toBe(true);
    expect(analyzeGraph(spec(chain)).valid).toBe(true);
  });
});
