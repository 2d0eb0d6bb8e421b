import onnxProto from 'onnx-proto';
import { beforeAll, describe, expect, it } from 'vitest';
import { LAYER_CATALOG } from '../../../../src-shared/layers/layer-catalog.ts';
import { TEMPLATES } from '../../../../src-shared/spec/templates.ts';
import { loadEngineBackend, type Tf } from '../../backend/load-engine-backend.ts';
import { randomModelSpec } from '../../compile/random-model-specs.ts';
import { ONNX_LAYER_CONVERTERS } from './onnx-convert.ts';
import { ONNX_COVERAGE_SPECS } from './onnx-coverage-specs.ts';
import { ONNX_LAYER_SUPPORT } from './onnx-layer-support.ts';
import { onnxParity } from './onnx-parity-check.ts';

// Every catalog kind in the configurations its ONNX mapping distinguishes, converted and
// run in onnxruntime against tfjs' predict; plus the support table against the catalog.

const TOLERANCE = 1e-4;

let tf: Tf;
beforeAll(async () => {
  ({ tf } = await loadEngineBackend());
});

/** The op types of a serialised model, to see which form a layer took. */
function opTypes(bytes: Uint8Array): string[] {
  return (onnxProto.onnx.ModelProto.decode(bytes).graph?.node ?? []).map((n) => n.opType ?? '');
}

describe('the ONNX support table', () => {
  it('covers every catalog kind, and each supported kind has a converter', () => {
    expect(Object.keys(ONNX_LAYER_SUPPORT).sort()).toEqual([...LAYER_CATALOG.keys()].sort());
    const converted = Object.entries(ONNX_LAYER_SUPPORT).filter(([, s]) => s.supported).map(([k]) => k).filter((k) => k !== 'Input');
    expect(Object.keys(ONNX_LAYER_CONVERTERS).sort()).toEqual(converted.sort());
  });

  it('is exercised: the templates, the random graphs and the coverage models use every kind', () => {
    const used = new Set<string>();
    const specs = [...TEMPLATES.map((t) => t.build()), ...Array.from({ length: 30 }, (_, i) => randomModelSpec(i + 1)), ...ONNX_COVERAGE_SPECS];
    for (const spec of specs) for (const l of spec.config.layers) used.add(l.class_name);
    expect([...LAYER_CATALOG.keys()].filter((k) => !used.has(k))).toEqual([]);
  });
});

describe('every layer kind through onnxruntime', () => {
  for (const spec of ONNX_COVERAGE_SPECS) {
    it(`${spec.config.name} matches tfjs`, async () => {
      const { maxAbsDiff, spread } = await onnxParity(tf, spec, { seed: 7, batches: 3, batch: 4 });
      // Outputs that vary (a model giving one value everywhere would prove nothing) and agree.
      expect(spread).toBeGreaterThan(0.05);
      expect(maxAbsDiff).toBeLessThan(TOLERANCE);
    });
  }

  it('writes recurrent layers as ONNX ops where onnxruntime has their activations, step by step otherwise', async () => {
    const forms = await Promise.all(['lstm_default', 'gru_relu_sigmoid', 'bi_rnn_mul', 'lstm_selu', 'bi_lstm_selu_ave', 'embedding_mask_rnn_seq'].map(async (name) => {
      const spec = ONNX_COVERAGE_SPECS.find((s) => s.config.name === name)!;
      const { converted } = await onnxParity(tf, spec, { batches: 1 });
      const ops = new Set(opTypes(converted.bytes));
      return { name, op: ['LSTM', 'GRU', 'RNN'].filter((op) => ops.has(op)), stepByStep: converted.notes.some((n) => n.includes('step by step')) };
    }));
    expect(forms).toEqual([
      { name: 'lstm_default', op: ['LSTM'], stepByStep: false },
      { name: 'gru_relu_sigmoid', op: ['GRU'], stepByStep: false },
      { name: 'bi_rnn_mul', op: ['RNN'], stepByStep: false },
      { name: 'lstm_selu', op: [], stepByStep: true },
      { name: 'bi_lstm_selu_ave', op: [], stepByStep: true },
      { name: 'embedding_mask_rnn_seq', op: [], stepByStep: true },
    ]);
  });
});
