import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeGraph } from '../../src-shared/graph/analyze-graph.ts';
import { LAYER_CATALOG } from '../../src-shared/layers/layer-catalog.ts';
import { chain } from '../../src-shared/spec/templates.ts';
import type { ModelSpec } from '../../src-shared/spec/model-spec.ts';
import { loadEngineBackend, type Tf } from '../engine/backend/load-engine-backend.ts';
import { buildModel } from '../engine/compile/compile-model.ts';
import { expectedVariables } from './import-layer-variables.ts';

let tf: Tf;
beforeAll(async () => {
  ({ tf } = await loadEngineBackend());
});

/** Each layer's variables as tfjs builds them: [layer, leaf name (with direction), shape]. */
function tfjsVariables(spec: ModelSpec): Array<[string, string, number[]]> {
  const model = buildModel(tf, spec);
  try {
    return model.layers.flatMap((l) => l.weights.map((w): [string, string, number[]] => {
      const parts = w.originalName.split('/');
      const direction = parts.find((p) => /^(forward|backward)_/.test(p))?.replace(/_.*$/, '');
      return [l.name, `${direction ? `${direction}/` : ''}${parts.at(-1)}`, [...w.shape] as number[]];
    }));
  } finally {
    model.dispose();
  }
}

function predicted(spec: ModelSpec): Array<[string, string, number[]]> {
  const { layers, problems } = expectedVariables(spec);
  expect(problems).toEqual([]);
  return [...layers].flatMap(([layer, vars]) => vars.map((v): [string, string, number[]] => [layer, `${v.direction ? `${v.direction}/` : ''}${v.name}`, v.shape]));
}

// Specs that between them use every catalog kind with weights, in their non-default forms too.
const SPECS: ModelSpec[] = [
  chain('image', [10, 10, 3], [
    ['Conv2D', { filters: 4, kernel_size: [3, 2], use_bias: false }],
    ['BatchNormalization', {}],
    ['DepthwiseConv2D', { depth_multiplier: 2, kernel_size: [3, 3] }],
    ['SeparableConv2D', { filters: 5, depth_multiplier: 3, kernel_size: [2, 2] }],
    ['Conv2DTranspose', { filters: 3, kernel_size: [2, 3], strides: [2, 2] }],
    ['LayerNormalization', {}],
    ['BatchNormalization', { axis: 2 }],
    ['Flatten', {}],
    ['Dense', { units: 4, use_bias: false }],
    ['Dense', { units: 3 }],
  ]),
  chain('text', [9], [
    ['Embedding', { input_dim: 30, output_dim: 6 }],
    ['Conv1D', { filters: 5, kernel_size: 2 }],
    ['SimpleRNN', { units: 3, return_sequences: true }],
    ['GRU', { units: 4, return_sequences: true }],
    ['LSTM', { units: 2, return_sequences: true, use_bias: false }],
    ['Bidirectional', { layer: { class_name: 'GRU', config: { units: 3, return_sequences: true } } }],
    ['Bidirectional', { layer: { class_name: 'LSTM', config: { units: 2 } }, merge_mode: 'sum' }],
    ['Dense', { units: 2 }],
  ]),
];

describe('the variables tfjs gives each layer, worked out from the spec alone', () => {
  it('match what tfjs builds — names, shapes and order — for every weighted kind in the catalog', () => {
    const weighted = new Set<string>();
    for (const spec of SPECS) {
      expect(analyzeGraph(spec).valid).toBe(true);
      expect(predicted(spec)).toEqual(tfjsVariables(spec));
      for (const name of new Set(predicted(spec).map(([layer]) => layer))) weighted.add(spec.config.layers.find((l) => l.name === name)!.class_name);
    }
    // A kind added to the catalog with weights must be added to the specs above (and to the table).
    const catalogWeighted = [...LAYER_CATALOG.keys()].filter((cls) => {
      const owned = SPECS.flatMap((s) => s.config.layers).some((l) => l.class_name === cls);
      return owned || ['Input', 'Flatten', 'Dropout', 'Activation', 'Add', 'Concatenate'].includes(cls) ? false : analyzeParamsOf(cls) > 0;
    });
    expect(catalogWeighted).toEqual([]);
    expect([...weighted].sort()).toEqual(['BatchNormalization', 'Bidirectional', 'Conv1D', 'Conv2D', 'Conv2DTranspose', 'Dense', 'DepthwiseConv2D', 'Embedding', 'GRU', 'LSTM', 'LayerNormalization', 'SeparableConv2D', 'SimpleRNN']);
  });

  it('says which layers keep the weights from being checked when the graph has a problem', () => {
    const broken = chain('broken', [8], [['Dense', { units: 3 }], ['Conv2D', { filters: 2 }]]);
    const { layers, problems } = expectedVariables(broken);
    expect(layers.size).toBe(0);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^conv2d(_\d+)? \(Conv2D\): /);
  });
});

/** Parameters the catalog counts for a kind on a typical input it accepts (0 when none fits). */
function analyzeParamsOf(className: string): number {
  const kind = LAYER_CATALOG.get(className)!;
  const params = kind.params.parse({});
  for (const input of [[8, 8, 3], [6, 4], [5]]) {
    try {
      const count = kind.countParams([input], params);
      return count.trainable + count.nonTrainable;
    } catch {
      // not an input this kind takes
    }
  }
  return 0;
}
