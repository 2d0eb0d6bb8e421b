import { describe, expect, it } from 'vitest';
import { MODEL_SPEC_VERSION, type ModelSpec } from '../spec/model-spec.ts';
import { TEMPLATES } from '../spec/templates.ts';
import { analyzeGraph } from './analyze-graph.ts';
import {
  addLayer, applyFix, autoLayout, connect, connectionProblem, disconnect, GraphEditError, layerBaseName,
  hasNewHeadFor, moveLayer, removeLayers, renameLayer, replaceHead, setTrainable, updateConfig,
} from './graph-edits.ts';

const empty: ModelSpec = { schemaVersion: MODEL_SPEC_VERSION, class_name: 'Model', config: { name: 'm', layers: [] }, layout: {} };

/** Freezes a spec all the way down, so any mutation by an edit throws. */
function frozen<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(frozen);
    Object.freeze(value);
  }
  return value;
}

/** Input(28×28×1) → Dense → Dense, frozen. */
function smallModel(): ModelSpec {
  let spec = addLayer(empty, 'Input', { x: 0, y: 0 }).spec;
  spec = addLayer(spec, 'Dense', { x: 0, y: 100 }, { units: 16 }).spec;
  spec = addLayer(spec, 'Dense', { x: 0, y: 200 }, { units: 10, activation: 'softmax' }).spec;
  spec = connect(connect(spec, 'input_1', 'dense_1'), 'dense_1', 'dense_2');
  return frozen(spec);
}

const wiring = (spec: ModelSpec) => Object.fromEntries(spec.config.layers.map((l) => [l.name, l.inbound]));

describe('graph edits', () => {
  it('freezes and unfreezes layers: their params count as non-trainable, and unfreezing leaves no flag behind', () => {
    const spec = frozen(TEMPLATES.find((t) => t.id === 'mlp')!.build({ inputShape: [28, 28, 1], classes: 10 }));
    const frozenSpec = setTrainable(spec, ['dense_1'], false);
    expect(frozenSpec.config.layers.find((l) => l.name === 'dense_1')?.trainable).toBe(false);
    expect(spec.config.layers.find((l) => l.name === 'dense_1')?.trainable).toBeUndefined(); // the original is untouched
    const before = analyzeGraph(spec).totals;
    const after = analyzeGraph(frozenSpec).totals;
    expect(after.trainable + after.nonTrainable).toBe(before.trainable + before.nonTrainable);
    expect(after.nonTrainable).toBe(analyzeGraph(spec).nodes.dense_1!.params!.trainable);
    expect(setTrainable(frozenSpec, ['dense_1'], false)).toBe(frozenSpec); // already frozen: no change, no history step
    expect(setTrainable(frozenSpec, ['dense_1'], true)).toEqual(spec);
    expect(() => setTrainable(spec, ['nope'], false)).toThrow(GraphEditError);
  });

  it('names layers as Keras does, numbered from 1', () => {
    expect(['Conv2D', 'MaxPooling2D', 'BatchNormalization', 'GlobalAveragePooling2D', 'Dense'].map(layerBaseName))
      .toEqual(['conv2d', 'max_pooling2d', 'batch_normalization', 'global_average_pooling2d', 'dense']);
  });

  it('adds a layer with its defaults, a unique name and a position, without touching the original', () => {
    const base = smallModel();
    const { spec, name } = addLayer(base, 'Conv2D', undefined, { filters: 8 });
    expect(name).toBe('conv2d_1');
    expect(spec.config.layers.at(-1)).toEqual({
      class_name: 'Conv2D', name: 'conv2d_1', inbound: [],
      config: { filters: 8, kernel_size: [3, 3], strides: [1, 1], padding: 'valid', activation: 'relu', use_bias: true },
    });
    expect(spec.layout.conv2d_1).toEqual({ x: 0, y: 310 });
    expect(addLayer(spec, 'Dense').name).toBe('dense_3');
    expect(base.config.layers).toHaveLength(3);
    expect(() => addLayer(base, 'Capsule')).toThrow(GraphEditError);
  });

  it('removes layers with the connections that read from them and their positions', () => {
    const spec = removeLayers(smallModel(), ['dense_1']);
    expect(wiring(spec)).toEqual({ input_1: [], dense_2: [] });
    expect(Object.keys(spec.layout)).toEqual(['input_1', 'dense_2']);
    const base = smallModel();
    expect(removeLayers(base, ['nothing'])).toBe(base);
  });

  it('connects: replaces the input of a one-input layer, appends to a merge, ignores repeats', () => {
    let spec = addLayer(smallModel(), 'Add').spec;
    spec = connect(spec, 'input_1', 'dense_2');
    expect(wiring(spec).dense_2).toEqual(['input_1']);
    spec = connect(connect(spec, 'dense_1', 'add_1'), 'dense_2', 'add_1');
    expect(wiring(spec).add_1).toEqual(['dense_1', 'dense_2']);
    expect(connect(spec, 'dense_1', 'add_1')).toBe(spec);
  });

  it('refuses connections that can never be valid, saying why', () => {
    const spec = smallModel();
    expect(connectionProblem(spec, 'dense_1', 'dense_1')).toBe('A layer cannot read from itself');
    expect(connectionProblem(spec, 'dense_2', 'dense_1')).toBe('Connecting dense_2 into dense_1 would make a loop: dense_1 already feeds dense_2');
    expect(connectionProblem(spec, 'dense_1', 'input_1')).toBe('input_1 is an Input layer: it takes no input');
    expect(connectionProblem(spec, 'nope', 'dense_1')).toBe('There is no layer named "nope"');
    expect(connectionProblem(spec, 'input_1', 'dense_2')).toBeNull();
    expect(() => connect(spec, 'dense_1', 'dense_1')).toThrow('A layer cannot read from itself');
  });

  it('disconnects, and is a no-op for a connection that is not there', () => {
    const spec = smallModel();
    expect(wiring(disconnect(spec, 'dense_1', 'dense_2')).dense_2).toEqual([]);
    expect(disconnect(spec, 'input_1', 'dense_2')).toBe(spec);
  });

  it('patches a config; undefined resets a field to its default; an identical patch changes nothing', () => {
    const spec = smallModel();
    const patched = updateConfig(spec, 'dense_1', { units: 32, use_bias: undefined });
    expect(patched.config.layers[1]?.config).toEqual({ units: 32, activation: 'relu' });
    expect(updateConfig(spec, 'dense_1', { units: 16 })).toBe(spec);
    expect(() => updateConfig(spec, 'nope', {})).toThrow('There is no layer named "nope"');
  });

  it('renames a layer everywhere it is mentioned, and refuses clashes and bad names', () => {
    const spec = renameLayer(smallModel(), 'dense_1', 'hidden');
    expect(wiring(spec)).toEqual({ input_1: [], hidden: ['input_1'], dense_2: ['hidden'] });
    expect(spec.layout.hidden).toEqual({ x: 0, y: 100 });
    expect(() => renameLayer(spec, 'hidden', 'dense_2')).toThrow('There is already a layer named "dense_2"');
    expect(() => renameLayer(spec, 'hidden', '2fast')).toThrow(GraphEditError);
  });

  it('moves a layer on the canvas only', () => {
    const spec = smallModel();
    const moved = moveLayer(spec, 'dense_1', { x: 40, y: 90 });
    expect(moved.layout.dense_1).toEqual({ x: 40, y: 90 });
    expect(moved.config).toBe(spec.config);
    expect(moveLayer(moved, 'dense_1', { x: 40, y: 90 })).toBe(moved);
  });

  it('applies the analysis fix: inserting Flatten makes Dense after an image valid', () => {
    const spec = smallModel();
    const issue = analyzeGraph(spec).issues.find((i) => i.code === 'SHAPE');
    expect(issue?.fix).toBeDefined();
    const fixed = applyFix(spec, issue!.layer!, issue!.fix!);
    expect(wiring(fixed)).toEqual({ input_1: [], dense_1: ['flatten_1'], dense_2: ['dense_1'], flatten_1: ['input_1'] });
    // Flatten takes dense_1's place and the layers from there down move one row lower.
    expect([fixed.layout.flatten_1, fixed.layout.dense_1, fixed.layout.dense_2, fixed.layout.input_1]).toEqual([
      { x: 0, y: 100 }, { x: 0, y: 210 }, { x: 0, y: 310 }, { x: 0, y: 0 },
    ]);
    expect(analyzeGraph(fixed).valid).toBe(true);
  });

  it('applies a Reshape fix with its config when Conv2D gets flat data', () => {
    let spec = addLayer(empty, 'Input', undefined, { shape: [784] }).spec;
    spec = addLayer(spec, 'Conv2D').spec;
    spec = addLayer(spec, 'Flatten').spec;
    spec = connect(connect(spec, 'input_1', 'conv2d_1'), 'conv2d_1', 'flatten_1');
    const issue = analyzeGraph(spec).issues[0]!;
    const fixed = applyFix(spec, 'conv2d_1', issue.fix!);
    expect(fixed.config.layers.find((l) => l.name === 'reshape_1')).toEqual({
      class_name: 'Reshape', name: 'reshape_1', inbound: ['input_1'], config: { target_shape: [28, 28, 1] },
    });
    expect(analyzeGraph(fixed).nodes.flatten_1?.outputShape).toEqual([26 * 26 * 32]);
  });

  it('lays out top to bottom by depth, side by side within a row, and keeps positions a person chose', () => {
    let spec = addLayer(empty, 'Input', undefined, { shape: [8] }).spec;
    for (const cls of ['Dense', 'Dense', 'Add']) spec = addLayer(spec, cls).spec;
    spec = connect(connect(spec, 'input_1', 'dense_1'), 'input_1', 'dense_2');
    spec = connect(connect(spec, 'dense_1', 'add_1'), 'dense_2', 'add_1');
    const laidOut = autoLayout({ ...spec, layout: {} });
    const { input_1: input, dense_1: a, dense_2: b, add_1: add } = laidOut.layout;
    expect(a!.y).toBe(b!.y); // one row for the two branches…
    expect(input!.y).toBeLessThan(a!.y); // …below the input…
    expect(add!.y).toBeGreaterThan(a!.y); // …above the merge,
    expect(Math.abs(a!.x - b!.x)).toBeGreaterThanOrEqual(184); // side by side without overlapping
    expect(add!.y - a!.y).toBeGreaterThanOrEqual(70);
    expect(Math.abs(input!.x - add!.x)).toBeLessThanOrEqual(1); // the merge is centred under the input
    const partly = autoLayout({ ...spec, layout: { input_1: { x: 500, y: 500 } } });
    expect(partly.layout.input_1).toEqual({ x: 500, y: 500 });
    expect(autoLayout(laidOut)).toBe(laidOut);
  });
});

describe('replaceHead', () => {
  it('swaps the output Dense for a new softmax Dense of the given classes, same input and place, new name', () => {
    const spec = smallModel();
    const { spec: out, head } = replaceHead(spec, 5);
    expect(head).toBe('head_1');
    expect(out.config.layers.map((l) => l.name)).toEqual(['input_1', 'dense_1', 'head_1']);
    expect(out.config.layers[2]).toMatchObject({ class_name: 'Dense', inbound: ['dense_1'], config: { units: 5, activation: 'softmax' } });
    expect(out.layout.head_1).toEqual(spec.layout.dense_2);
    expect(out.layout.dense_2).toBeUndefined();
    expect(analyzeGraph(out, { classes: 5 }).issues.filter((i) => i.code === 'OUTPUT_MISMATCH')).toEqual([]);
    // Twice: the second head gets the next free name, so it too starts fresh.
    expect(replaceHead(out, 3).head).toBe('head_2');
  });

  it('refuses a graph without one Dense output, saying why', () => {
    expect(() => replaceHead(empty, 3)).toThrow(/exactly one output layer; this graph has 0/);
    const conv = addLayer(connect(addLayer(addLayer(empty, 'Input', { x: 0, y: 0 }).spec, 'Flatten', { x: 0, y: 100 }).spec, 'input_1', 'flatten_1'), 'Dense', { x: 0, y: 0 }).spec;
    expect(() => replaceHead(conv, 3)).toThrow(GraphEditError);
    expect(() => replaceHead(smallModel(), 0)).toThrow(/whole number of classes/);
  });

  it('knows a graph whose head it already replaced for that class count', () => {
    const spec = smallModel();
    expect(hasNewHeadFor(spec, 5)).toBe(false);
    const { spec: out } = replaceHead(spec, 5);
    expect(hasNewHeadFor(out, 5)).toBe(true);
    expect(hasNewHeadFor(out, 7)).toBe(false);
  });
});
