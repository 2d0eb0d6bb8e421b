import { describe, expect, it } from 'vitest';
import { analyzeGraph } from '../graph/analyze-graph.ts';
import { ModelSpecSchema } from './model-spec.ts';
import { getTemplate, TEMPLATES } from './templates.ts';

describe('templates', () => {
  it('offers the classic architectures and a blank model', () => {
    expect(TEMPLATES.map((t) => t.id)).toEqual([
      'mlp', 'lenet', 'resnet', 'vgg', 'lstm-text', 'conv1d-timeseries', 'lstm-forecast', 'conv-autoencoder', 'dcgan-generator', 'dcgan-discriminator', 'blank',
    ]);
    for (const t of TEMPLATES) expect(t.title.length * t.description.length, t.id).toBeGreaterThan(0);
  });

  it('builds specs that pass the schema, analyse as valid and have every layer placed', () => {
    for (const t of TEMPLATES) {
      for (const options of [undefined, { inputShape: [32, 32, 3], classes: 4 }]) {
        const spec = t.build(options);
        expect(ModelSpecSchema.parse(spec), t.id).toEqual(spec);
        expect(analyzeGraph(spec).issues, t.id).toEqual([]);
        expect(Object.keys(spec.layout).sort(), t.id).toEqual(spec.config.layers.map((l) => l.name).sort());
      }
    }
  });

  it('sizes the input and the classifier from the options', () => {
    const analysis = analyzeGraph(getTemplate('lenet')!.build({ inputShape: [32, 32, 3], classes: 4 }));
    expect([analysis.nodes.input_1?.outputShape, analysis.nodes.flatten_1?.outputShape, analysis.nodes.dense_3?.outputShape])
      .toEqual([[32, 32, 3], [6 * 6 * 16], [4]]);
  });

  it('builds the MLP on flat data without a Flatten', () => {
    const spec = getTemplate('mlp')!.build({ inputShape: [20], classes: 3 });
    expect(spec.config.layers.map((l) => [l.class_name, l.inbound])).toEqual([
      ['Input', []], ['Dense', ['input_1']], ['Dropout', ['dense_1']], ['Dense', ['dropout_1']],
    ]);
    expect(spec.config.layers.map((l) => l.config)).toEqual([
      { shape: [20] },
      { units: 128, activation: 'relu', use_bias: true },
      { rate: 0.2 },
      { units: 3, activation: 'softmax', use_bias: true },
    ]);
    expect(analyzeGraph(spec).valid).toBe(true);
  });

  it('gives each architecture its defining shape', () => {
    const out = (id: string, options?: { inputShape?: number[]; classes?: number }) => {
      const a = analyzeGraph(getTemplate(id)!.build(options));
      return { input: a.nodes[a.inputs[0]!]!.outputShape, output: a.nodes[a.outputs[0]!]!.outputShape, params: a.totals.trainable + a.totals.nonTrainable };
    };
    // Keras counts 10000·64 + 4·64·(64+64+1) + 65·3 for Embedding → LSTM(64) → Dense(3).
    expect(out('lstm-text', { classes: 3 })).toEqual({ input: [100], output: [3], params: 640_000 + 33_024 + 195 });
    expect(out('lstm-text', { inputShape: [28, 28, 1] }).input).toEqual([100]); // an image shape does not fit a text model
    expect(out('conv1d-timeseries', { classes: 2 })).toMatchObject({ input: [64, 1], output: [2] });
    expect(out('conv-autoencoder', { inputShape: [32, 32, 3] })).toMatchObject({ input: [32, 32, 3], output: [32, 32, 3] });
    expect(out('dcgan-generator')).toMatchObject({ input: [100], output: [28, 28, 1] });
    expect(out('dcgan-generator', { inputShape: [32, 32, 3] })).toMatchObject({ output: [32, 32, 3] });
    expect(out('dcgan-discriminator')).toMatchObject({ input: [28, 28, 1], output: [1] });
    const resnet = getTemplate('resnet')!.build();
    expect(resnet.config.layers.filter((l) => l.class_name === 'Add').map((l) => l.inbound.length)).toEqual([2, 2]);
  });
});
