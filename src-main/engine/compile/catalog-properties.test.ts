import type * as tfType from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { analyzeGraph } from '../../../src-shared/graph/analyze-graph.ts';
import { LAYER_CATALOG } from '../../../src-shared/layers/layer-catalog.ts';
import type { LayerKind } from '../../../src-shared/layers/layer-kind.ts';
import { MODEL_SPEC_VERSION, type ModelSpec } from '../../../src-shared/spec/model-spec.ts';
import { loadEngineBackend, type Tf } from '../backend/load-engine-backend.ts';
import { buildModel } from './compile-model.ts';
import { randomModelSpec } from './random-model-specs.ts';
import { builtFacts, inferredFacts } from '../testing/tfjs-layer-facts.ts';

// Property tests of the whole catalog against tfjs: what the canvas says about a layer is
// what tfjs builds. Parameters are drawn from each kind's own zod schema, so a kind added
// to the catalog is covered without writing a generator for it.

let tf: Tf;
beforeAll(async () => {
  ({ tf } = await loadEngineBackend());
});

type Def = { type: string; innerType?: z.ZodType; options?: readonly unknown[]; items?: readonly z.ZodType[]; element?: z.ZodType; shape?: Record<string, z.ZodType> };
const defOf = (schema: z.ZodType): Def => (schema as unknown as { def: Def }).def;

/** Values for one parameter: around its schema's bounds for numbers, every option for enums. */
function arbitraryFor(schema: z.ZodType): fc.Arbitrary<unknown> | null {
  const def = defOf(schema);
  switch (def.type) {
    case 'default':
    case 'optional':
      return arbitraryFor(def.innerType!);
    case 'nullable': {
      const inner = arbitraryFor(def.innerType!);
      return inner && fc.option(inner, { nil: null });
    }
    case 'number': {
      const n = schema as unknown as { isInt: boolean; minValue: number | null; maxValue: number | null };
      const min = n.minValue ?? (n.isInt ? -1 : 0);
      const max = n.maxValue ?? (n.isInt ? 6 : 1);
      return n.isInt
        ? fc.integer({ min: Math.max(min, -2), max: Math.min(max, 6) })
        : fc.double({ min: Math.max(min, 0), max: Math.min(max, 1), noNaN: true, maxExcluded: n.maxValue !== null && n.maxValue <= 1 });
    }
    case 'enum':
      return fc.constantFrom(...(Object.values((schema as unknown as { enum: Record<string, unknown> }).enum)));
    case 'boolean':
      return fc.boolean();
    case 'tuple': {
      const items = def.items!.map(arbitraryFor);
      return items.every(Boolean) ? fc.tuple(...(items as fc.Arbitrary<unknown>[])) : null;
    }
    default:
      return null; // lists, nested configs, transforms: the kind's default is used
  }
}

function arbitraryConfig(kind: LayerKind): fc.Arbitrary<Record<string, unknown>> {
  const shape = defOf(kind.params).shape ?? {};
  const fields: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [key, field] of Object.entries(shape)) {
    const arb = arbitraryFor(field);
    if (arb) fields[key] = arb;
  }
  return fc.record(fields, { requiredKeys: [] }) as fc.Arbitrary<Record<string, unknown>>;
}

const INPUT_SHAPES = [[8, 8, 3], [5, 7, 2], [3, 3, 1], [12], [6, 4], [4, 5, 3, 2].slice(0, 3), [9, 2]];
/** Rules where Strata is deliberately stricter than tfjs, to steer a beginner. */
const STRICTER = [
  /Dense needs a flat list of features/, // tfjs applies Dense along the last axis of any rank
  /larger than its/, // tfjs computes an empty (0-sized) output for a window larger than its input
  /does not exist on an input of shape/, // tfjs does not check that an axis is within the rank
];

function oneLayerSpec(className: string, config: Record<string, unknown>, inputShape: number[], arity: number): ModelSpec {
  const inputs = Array.from({ length: arity }, (_, i) => ({ class_name: 'Input', name: `in_${i}`, config: { shape: inputShape }, inbound: [] as string[] }));
  // A merge gets its inputs from one Input through Activation layers (tfjs needs distinct tensors).
  const layers = arity === 1
    ? [inputs[0]!, { class_name: className, name: 'probe', config, inbound: ['in_0'] }]
    : [inputs[0]!, ...Array.from({ length: arity }, (_, i) => ({ class_name: 'Activation', name: `a_${i}`, config: { activation: 'linear' }, inbound: ['in_0'] })),
      { class_name: className, name: 'probe', config, inbound: Array.from({ length: arity }, (_, i) => `a_${i}`) }];
  return { schemaVersion: MODEL_SPEC_VERSION, class_name: 'Model', config: { name: 'probe_model', layers }, layout: {} };
}


const KINDS = [...LAYER_CATALOG.values()].filter((k) => k.className !== 'Input');

describe('every catalog kind against tfjs (fast-check)', () => {
  it('a layer the analysis accepts builds in tfjs with the inferred shape and parameter count, and one it rejects for its shape tfjs refuses too', () => {
    // Cases carry the class name (not the kind object) so a counterexample prints readably.
    const cases = fc.constantFrom(...KINDS.map((k) => k.className)).chain((className) => fc.record({
      className: fc.constant(className),
      config: arbitraryConfig(LAYER_CATALOG.get(className)!),
      inputShape: fc.constantFrom(...INPUT_SHAPES),
    }));
    let accepted = 0;
    let rejected = 0;
    const acceptedKinds = new Set<string>();
    fc.assert(fc.property(cases, ({ className, config, inputShape }) => {
      const kind = LAYER_CATALOG.get(className)!;
      if (!kind.params.safeParse(config).success) return; // a bad value is a BAD_PARAM, not a shape question
      const arity = Math.max(kind.inputs.min, 1);
      const spec = oneLayerSpec(kind.className, config, inputShape, arity);
      const analysis = analyzeGraph(spec);
      const probe = analysis.nodes.probe!;
      const shapeIssue = probe.issues.find((i) => i.code === 'SHAPE');
      let model: tfType.LayersModel | null = null;
      let tfjsError: unknown = null;
      try {
        model = buildModel(tf, { ...spec, config: { ...spec.config } }, { skipAnalysis: true });
        // Zeros: valid word ids for an Embedding, and as good as any values for every other kind.
        tf.tidy(() => { model!.predict(tf.zeros([1, ...inputShape])); });
      } catch (err) {
        tfjsError = err;
      }
      try {
        if (analysis.valid) {
          accepted += 1;
          acceptedKinds.add(className);
          expect(tfjsError, `${kind.className} ${JSON.stringify(config)} on ${JSON.stringify(inputShape)}`).toBeNull();
          const built = model!.getLayer('probe');
          expect(builtFacts(built)).toEqual(inferredFacts(probe));
        } else if (shapeIssue && !STRICTER.some((r) => r.test(shapeIssue.message))) {
          rejected += 1;
          expect(tfjsError, `Strata rejects ${kind.className} ${JSON.stringify(config)} on ${JSON.stringify(inputShape)} (${shapeIssue.message}) but tfjs builds and runs it`).not.toBeNull();
        }
      } finally {
        model?.dispose();
      }
    }), { numRuns: 1500, seed: 20261124 });
    // The property only means something if both sides were exercised, for every kind.
    expect(accepted).toBeGreaterThan(300);
    expect(rejected).toBeGreaterThan(30);
    expect([...acceptedKinds].sort()).toEqual(KINDS.map((k) => k.className).sort());
  });

  it('random multi-layer graphs (stacks, skips, concatenations) infer every node as tfjs builds it', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1_000_000 }), (seed) => {
      const spec = randomModelSpec(seed);
      const analysis = analyzeGraph(spec);
      expect(analysis.issues).toEqual([]);
      const model = buildModel(tf, spec);
      try {
        for (const layer of spec.config.layers) {
          const built = model.getLayer(layer.name);
          expect((built.outputShape as (number | null)[]).slice(1), layer.name).toEqual(analysis.nodes[layer.name]!.outputShape);
        }
        expect(model.countParams()).toBe(analysis.totals.trainable + analysis.totals.nonTrainable);
      } finally {
        model.dispose();
      }
    }), { numRuns: 60, seed: 7 });
  });
});
