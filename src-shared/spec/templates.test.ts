import { describe, expect, it } from 'vitest';
import { analyzeGraph } from '../graph/analyze-graph.ts';
import { ModelSpecSchema } from './model-spec.ts';
import { getTemplate, TEMPLATES } from './templates.ts';

describe('templates', () => {
  it('offers MLP, LeNet and a blank model', () => {
    expect(TEMPLATES.map((t) => t.id)).toEqual(['mlp', 'lenet', 'blank']);
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
});
