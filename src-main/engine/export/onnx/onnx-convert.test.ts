import { beforeAll, describe, expect, it } from 'vitest';
import { TEMPLATES } from '../../../../src-shared/spec/templates.ts';
import { loadEngineBackend, type Tf } from '../../backend/load-engine-backend.ts';
import { randomModelSpec } from '../../compile/random-model-specs.ts';
import { onnxParity } from './onnx-parity-check.ts';

// Every template and a spread of random graphs, converted and run in onnxruntime: the
// outputs must be tfjs' predict to within 1e-4 on random inputs and random weights.

const TOLERANCE = 1e-4;
const RANDOM_GRAPHS = 30;

let tf: Tf;
beforeAll(async () => {
  ({ tf } = await loadEngineBackend());
});

describe('convertToOnnx on the templates', () => {
  for (const template of TEMPLATES) {
    it(`${template.id} matches tfjs`, async () => {
      // The defaults, and another size with a regression head (a small vocabulary for text).
      const other = template.id === 'lstm-text' ? { vocabSize: 300, classes: 3 } : { inputShape: [16, 16, 3], classes: 4, task: 'regression' as const };
      const variants = template.id === 'blank' ? [template.build()] : [template.build(), template.build(other)];
      for (const spec of variants) {
        const { maxAbsDiff, values } = await onnxParity(tf, spec, { seed: 3 });
        expect(values, spec.config.name).toBeGreaterThan(0);
        expect(maxAbsDiff, spec.config.name).toBeLessThan(TOLERANCE);
      }
    });
  }
});

describe('convertToOnnx on random graphs', () => {
  it(`matches tfjs on ${RANDOM_GRAPHS} random stacks and branches`, async () => {
    const results: Array<{ seed: number; maxAbsDiff: number }> = [];
    for (let seed = 1; seed <= RANDOM_GRAPHS; seed++) {
      const spec = randomModelSpec(seed);
      const { maxAbsDiff } = await onnxParity(tf, { ...spec, config: { ...spec.config, name: `random_${seed}` } }, { seed });
      results.push({ seed, maxAbsDiff });
    }
    expect(results.filter((r) => !(r.maxAbsDiff < TOLERANCE))).toEqual([]);
  });
});
