import type * as tfType from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { analyzeGraph } from '../../../src-shared/graph/analyze-graph.ts';
import { LAYER_CATALOG } from '../../../src-shared/layers/layer-catalog.ts';
import { MODEL_SPEC_VERSION, type ModelSpec } from '../../../src-shared/spec/model-spec.ts';
import { TEMPLATES } from '../../../src-shared/spec/templates.ts';
import { loadEngineBackend } from '../backend/load-engine-backend.ts';
import { buildModel, ModelCompileError } from './compile-model.ts';
import { randomModelSpec } from './random-model-specs.ts';
import { TFJS_LAYER_BUILDERS } from './tfjs-layer-builders.ts';
import { inferredVsBuilt, weightCount } from '../testing/tfjs-layer-facts.ts';

const RANDOM_MODELS = 200;


/**
 * Per layer, what Strata inferred next to what tfjs built: output shape without the batch,
 * trainable and non-trainable weight counts. Equal objects mean the canvas tells the truth.
 */
function compare(tf: Awaited<ReturnType<typeof loadEngineBackend>>['tf'], spec: ModelSpec) {
  const analysis = analyzeGraph(spec);
  expect(analysis.issues, spec.config.name).toEqual([]);
  const model = buildModel(tf, spec);
  try {
    const { inferred, built } = inferredVsBuilt(spec.config.layers.map((l) => l.name), analysis, model);
    for (const layer of model.layers) expect(layer.countParams()).toBe(weightCount(layer.weights));
    expect(built).toEqual(inferred);
    expect(model.countParams()).toBe(analysis.totals.trainable + analysis.totals.nonTrainable);
    expect(model.layers.map((l) => l.name).sort()).toEqual(spec.config.layers.map((l) => l.name).sort());
    // And it runs: a batch of two goes through with the inferred output shape.
    const inputShape = analysis.nodes[analysis.inputs[0]!]!.outputShape as number[];
    // Values in [0, 1): also valid word ids (0) for a model that starts with an Embedding.
    const out = tf.tidy(() => (model.predict(tf.randomUniform([2, ...inputShape], 0, 1)) as tfType.Tensor).shape);
    expect(out).toEqual([2, ...(analysis.nodes[analysis.outputs[0]!]!.outputShape as number[])]);
  } finally {
    model.dispose();
  }
}

describe('buildModel', () => {
  it('has a tfjs builder for every catalog kind and for nothing else', () => {
    expect(Object.keys(TFJS_LAYER_BUILDERS).sort()).toEqual([...LAYER_CATALOG.keys()].sort());
  });

  it('builds every template exactly as inferred', async () => {
    const { tf } = await loadEngineBackend();
    for (const template of TEMPLATES) {
      compare(tf, template.build());
      compare(tf, template.build({ inputShape: [32, 32, 3], classes: 5 }));
    }
  });

  it(`builds ${RANDOM_MODELS} random stacks and branches exactly as inferred`, async () => {
    const { tf } = await loadEngineBackend();
    const seen = new Set<string>();
    for (let seed = 1; seed <= RANDOM_MODELS; seed += 1) {
      const spec = randomModelSpec(seed);
      spec.config.layers.forEach((l) => seen.add(l.class_name));
      compare(tf, { ...spec, config: { ...spec.config, name: `random_${seed}` } });
    }
    // The generator is only a check if it reaches the kinds it was written for; every
    // catalog kind is also held against tfjs one by one in catalog-properties.test.ts.
    expect([...seen].sort()).toEqual([
      'Activation', 'Add', 'AveragePooling2D', 'BatchNormalization', 'Concatenate', 'Conv2D', 'Dense', 'Dropout',
      'Flatten', 'GlobalAveragePooling2D', 'Input', 'MaxPooling2D', 'Reshape',
    ]);
  });

  it('refuses an invalid graph with GRAPH_INVALID, listing every problem by layer', async () => {
    const { tf } = await loadEngineBackend();
    const spec: ModelSpec = {
      schemaVersion: MODEL_SPEC_VERSION,
      class_name: 'Model',
      config: {
        name: 'broken',
        layers: [
          { name: 'pixels', class_name: 'Input', config: { shape: [28, 28, 1] }, inbound: [] },
          { name: 'hidden', class_name: 'Dense', config: { units: 0 }, inbound: ['pixels'] },
          { name: 'scores', class_name: 'Dense', config: { units: 10 }, inbound: ['pixels'] },
        ],
      },
      layout: {},
    };
    let caught: unknown;
    try {
      buildModel(tf, spec);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ModelCompileError);
    const error = caught as ModelCompileError;
    expect({ code: error.code, message: error.message, codes: error.issues.map((i) => i.code) }).toEqual({
      code: 'GRAPH_INVALID',
      message: [
        'The model "broken" has 4 problems to fix before it can be built:',
        '  - hidden (Dense): units must be at least 1',
        '  - hidden (Dense): hidden ends the graph, and so does scores, but a model has one output: connect them into one layer (e.g. with Concatenate) or delete the extras',
        '  - scores (Dense): Dense needs a flat list of features but gets (28, 28, 1) — insert a Flatten',
        '  - scores (Dense): scores ends the graph, and so does hidden, but a model has one output: connect them into one layer (e.g. with Concatenate) or delete the extras',
      ].join('\n'),
      codes: ['BAD_PARAM', 'MULTIPLE_OUTPUTS', 'SHAPE', 'MULTIPLE_OUTPUTS'],
    });
  });
});
