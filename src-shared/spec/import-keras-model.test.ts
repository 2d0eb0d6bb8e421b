import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeGraph } from '../graph/analyze-graph.ts';
import { importKerasModel, ModelImportError } from './import-keras-model.ts';

// The fixtures are real Keras 3.15 output: model.to_json() of the models in their names,
// written by Keras itself (TensorFlow 2.21). Keras counted 1,199,882 and 925 parameters.
const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const fixture = (name: string): unknown => JSON.parse(fs.readFileSync(path.join(fixtures, name), 'utf8'));

describe('importing Keras model configs', () => {
  it("turns Keras 3's Sequential mnist_cnn into an editable graph with Keras' own parameter count", () => {
    const spec = importKerasModel(fixture('keras3-sequential-mnist-cnn.json'), 'mnist_cnn.json');
    expect(spec.config.name).toBe('mnist_cnn');
    expect(spec.config.layers.map((l) => l.class_name)).toEqual(['Input', 'Conv2D', 'Conv2D', 'MaxPooling2D', 'Dropout', 'Flatten', 'Dense', 'Dropout', 'Dense']);
    const analysis = analyzeGraph(spec);
    expect(analysis.issues).toEqual([]);
    expect(analysis.totals.trainable + analysis.totals.nonTrainable).toBe(1_199_882);
    expect(Object.keys(spec.layout).sort()).toEqual(spec.config.layers.map((l) => l.name).sort()); // laid out for the canvas
  });

  it("keeps a functional model's branches, skip connection and concatenation (Keras 3 inbound format)", () => {
    const spec = importKerasModel(fixture('keras3-functional-tiny-resnet.json'), 'tiny.json');
    const inbound = Object.fromEntries(spec.config.layers.map((l) => [l.name, l.inbound]));
    expect(inbound).toMatchObject({ stem: ['image'], skip: ['stem', 'bn'], join: ['pool', 'avg'], classes: ['gap'] });
    const analysis = analyzeGraph(spec);
    expect(analysis.issues).toEqual([]);
    expect(analysis.totals.trainable + analysis.totals.nonTrainable).toBe(925);
    expect(analysis.nodes.join!.outputShape).toEqual([8, 8, 16]);
  });

  it('reads the tf.keras 2 / tfjs form: nested-list inbound nodes, batch_input_shape on the first layer, axis as a list', () => {
    const keras2 = {
      class_name: 'Model',
      config: {
        name: 'k2',
        layers: [
          { class_name: 'InputLayer', name: 'in', config: { batch_input_shape: [null, 6], name: 'in' }, inbound_nodes: [] },
          { class_name: 'Dense', name: 'a', config: { name: 'a', units: 4, activation: 'relu' }, inbound_nodes: [[['in', 0, 0, {}]]] },
          { class_name: 'BatchNormalization', name: 'n', config: { name: 'n', axis: [1] }, inbound_nodes: [[['a', 0, 0, {}]]] },
          { class_name: 'Concatenate', name: 'c', config: { name: 'c', axis: -1 }, inbound_nodes: [[['a', 0, 0, {}], ['n', 0, 0, {}]]] },
        ],
      },
    };
    const spec = importKerasModel({ modelTopology: keras2, format: 'layers-model' }, 'model.json');
    expect(spec.config.layers.map((l) => [l.name, l.inbound])).toEqual([['in', []], ['a', ['in']], ['n', ['a']], ['c', ['a', 'n']]]);
    expect(analyzeGraph(spec).nodes.c!.outputShape).toEqual([8]);
    const seq = importKerasModel({ class_name: 'Sequential', config: { layers: [{ class_name: 'Dense', config: { units: 3, batch_input_shape: [null, 5] } }] } }, 's.json');
    expect(seq.config.layers.map((l) => l.class_name)).toEqual(['Input', 'Dense']);
    expect(analyzeGraph(seq).valid).toBe(true);
  });

  it('refuses what it cannot represent, naming the file and every unsupported layer at once', () => {
    const withOdd = fixture('keras3-sequential-mnist-cnn.json') as { config: { layers: Array<{ class_name: string; config: { name: string } }> } };
    withOdd.config.layers[2]!.class_name = 'GaussianNoise';
    withOdd.config.layers[5]!.class_name = 'Lambda';
    const err = (() => { try { importKerasModel(withOdd, 'odd.json'); return null; } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(ModelImportError);
    expect((err as ModelImportError).message).toMatch(/^odd\.json: 2 layer\(s\) have no Strata equivalent yet: .*\(GaussianNoise\), .*\(Lambda\)/);
    expect((err as ModelImportError).unsupported).toEqual(['GaussianNoise', 'Lambda']);
    expect(() => importKerasModel({ hello: 1 }, 'x.json')).toThrow(/^x\.json is not a Keras or tfjs model/);
    expect(() => importKerasModel(null, 'n.json')).toThrow(/^n\.json is not a Keras or tfjs model/);
    expect(() => importKerasModel({ class_name: 'Sequential', config: { layers: [] } }, 'e.json')).toThrow('e.json: the model has no layers');
    expect(() => importKerasModel({ class_name: 'Sequential', config: { layers: [{ class_name: 'Dense', config: { units: 3 } }] } }, 'noshape.json'))
      .toThrow(/does not say its input shape/);
    expect(() => importKerasModel({ class_name: 'Sequential', config: { layers: [{ class_name: 'InputLayer', config: { batch_shape: [null, null, 3] } }, { class_name: 'Dense', config: { units: 3 } }] } }, 'var.json'))
      .toThrow(/unknown size \(\[None,3\]\)/);
  });

  it("unwraps Keras' one-element lists on 1-D layers and reads Keras 3's negative_slope", () => {
    const spec = importKerasModel({ class_name: 'Sequential', config: { layers: [
      { class_name: 'InputLayer', config: { name: 'in', batch_shape: [null, 20, 2] } },
      { class_name: 'Conv1D', config: { name: 'c', filters: 4, kernel_size: [3], strides: [1], dilation_rate: [1], padding: 'valid', activation: 'linear' } },
      { class_name: 'LeakyReLU', config: { name: 'l', negative_slope: 0.1 } },
      { class_name: 'MaxPooling1D', config: { name: 'p', pool_size: [2], strides: [2], padding: 'valid' } },
    ] } }, 'k.json');
    const a = analyzeGraph(spec);
    expect(a.issues).toEqual([]);
    expect(a.nodes.p!.outputShape).toEqual([9, 4]);
    expect(spec.config.layers.find((l) => l.name === 'l')!.config.alpha).toBe(0.1);
  });
});
