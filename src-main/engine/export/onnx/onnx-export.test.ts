import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import onnxProto from 'onnx-proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExportResultSchema } from '../../../../src-shared/contract/export.ts';
import { MODEL_SPEC_VERSION, type ModelSpec } from '../../../../src-shared/spec/model-spec.ts';
import { chain } from '../../../../src-shared/spec/templates.ts';
import { loadEngineBackend, type Tf } from '../../backend/load-engine-backend.ts';
import { buildModel } from '../../compile/compile-model.ts';
import { trainTinyDigitsRun } from '../../testing/train-tiny-run.ts';
import { readRunRecord, writeRunRecord } from '../../train/run-store.ts';
import { exportRecordFile } from '../export-record.ts';
import { convertToOnnx } from './onnx-convert.ts';
import { exportOnnx } from './onnx-export.ts';
import { onnxUnsupportedLayers } from './onnx-layer-support.ts';
import { loadOnnxRuntime } from './onnx-predict.ts';

// The whole export on a real trained run (digits, one epoch): the .onnx file on disk,
// onnxruntime's parity with Strata, the export record; and the refusals, by layer name.

const TOLERANCE = 1e-4;

let tf: Tf;
let work: string;
let runDir: string;
beforeAll(async () => {
  ({ tf } = await loadEngineBackend());
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-onnx-export-'));
  runDir = await trainTinyDigitsRun(work, { dropout: true });
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** A hand-wired graph: [name, class_name, config, inbound]. */
function graph(name: string, layers: ReadonlyArray<readonly [string, string, Record<string, unknown>, string[]]>): ModelSpec {
  return {
    schemaVersion: MODEL_SPEC_VERSION, class_name: 'Model', layout: {},
    config: { name, layers: layers.map(([layerName, className, config, inbound]) => ({ name: layerName, class_name: className, config, inbound })) },
  };
}

describe('exportOnnx on a trained run', () => {
  it('writes the .onnx file, proves parity in onnxruntime and records the export', async () => {
    const out = path.join(work, 'out', 'tiny.onnx');
    const result = await exportOnnx(runDir, out);
    const ort = await loadOnnxRuntime();
    expect(result.parity, JSON.stringify(result.parity)).toMatchObject({
      format: 'onnx', runtime: `onnxruntime-node ${ort.env.versions.node}`, passed: true, skipped: null, argmaxAgreement: 1,
    });
    expect(result.parity!.samples).toBeGreaterThan(0);
    expect(result.parity!.maxAbsDiff).toBeLessThan(TOLERANCE);
    expect([result.format, result.path, result.files, result.notes]).toEqual(['onnx', out, ['tiny.onnx'],
      ['Input input_1 takes float32 (batch, 28, 28, 1): images channels-last, prepared as in Strata; the batch size is free.']]);
    expect(ExportResultSchema.parse(JSON.parse(fs.readFileSync(exportRecordFile(runDir, 'onnx'), 'utf8')))).toEqual(result);

    // The file itself: opset 17, Strata's NHWC input with a free batch axis, one output of 10.
    const model = onnxProto.onnx.ModelProto.decode(fs.readFileSync(out));
    const dims = (info: onnxProto.onnx.IValueInfoProto | undefined) => info?.type?.tensorType?.shape?.dim?.map((d) => d.dimParam || Number(d.dimValue));
    expect({
      opset: model.opsetImport.map((o) => [o.domain, Number(o.version)]),
      input: [model.graph?.input?.[0]?.name, dims(model.graph?.input?.[0])],
      output: [model.graph?.output?.[0]?.name, dims(model.graph?.output?.[0])],
    }).toEqual({ opset: [['', 17]], input: ['input_1', ['batch', 28, 28, 1]], output: ['dense_1', ['batch', 10]] });

    // A consumer's session: a batch of 5 blank images gives 5 probability rows.
    const session = await ort.InferenceSession.create(out);
    const probs = (await session.run({ input_1: new ort.Tensor('float32', new Float32Array(5 * 28 * 28), [5, 28, 28, 1]) })).dense_1!;
    await session.release();
    expect(probs.dims).toEqual([5, 10]);
    const rows = Array.from({ length: 5 }, (_, r) => Array.from(probs.data as Float32Array).slice(r * 10, r * 10 + 10).reduce((a, b) => a + b, 0));
    for (const sum of rows) expect(sum).toBeCloseTo(1, 5);
  });

  it('refuses a run with a layer it cannot write, naming it, before writing anything', async () => {
    // A run record naming a layer kind this export does not know (as from a newer Strata).
    const doctored = path.join(work, 'run-doctored');
    fs.cpSync(runDir, doctored, { recursive: true });
    fs.rmSync(path.dirname(exportRecordFile(doctored, 'onnx')), { recursive: true, force: true }); // the first test's record
    const record = readRunRecord(doctored);
    const flatten = record.spec.config.layers.find((l) => l.class_name === 'Flatten')!.name;
    writeRunRecord(doctored, { ...record, spec: { ...record.spec, config: { ...record.spec.config, layers: [...record.spec.config.layers, { class_name: 'Attention', name: 'attn_1', config: {}, inbound: [flatten] }] } } });
    const out = path.join(work, 'refused', 'model.onnx');
    await expect(exportOnnx(doctored, out)).rejects.toMatchObject({
      code: 'ONNX_UNSUPPORTED',
      message: expect.stringContaining('attn_1 (Attention): the ONNX export has no mapping for the layer kind "Attention"'),
    });
    expect(fs.existsSync(path.dirname(out))).toBe(false);
    expect(fs.existsSync(exportRecordFile(doctored, 'onnx'))).toBe(false);
  });
});

describe('what the ONNX export refuses', () => {
  it('names every layer whose padding mask tfjs handles in a way ONNX cannot repeat, with its class and why', () => {
    // mask_zero's mask reaching a merge, and (through tfjs' executor) a recurrent layer of another length.
    const spec = graph('masked_merge', [
      ['ids', 'Input', { shape: [6] }, []],
      ['emb', 'Embedding', { input_dim: 9, output_dim: 4, mask_zero: true }, ['ids']],
      ['seq', 'LSTM', { units: 4, return_sequences: true }, ['emb']],
      ['both', 'Concatenate', { axis: -1 }, ['seq', 'emb']],
      ['pooled', 'GlobalAveragePooling1D', {}, ['both']],
      ['again', 'RepeatVector', { n: 3 }, ['pooled']],
      ['late', 'GRU', { units: 2 }, ['again']],
      ['out', 'Dense', { units: 2, activation: 'softmax' }, ['late']],
    ]);
    expect(onnxUnsupportedLayers(spec)).toEqual([
      { layer: 'both', className: 'Concatenate', why: "it merges the padding mask of emb (mask_zero) in tfjs' own way, which the ONNX export does not repeat; set mask_zero of emb to false and train again to export" },
      { layer: 'late', className: 'GRU', why: 'tfjs hands it the padding mask of emb (mask_zero, 6 steps) though it reads 3 steps, which the ONNX export cannot repeat; set mask_zero of emb to false and train again to export' },
    ]);
    // The same layers without mask_zero export.
    const unmasked = { ...spec, config: { ...spec.config, layers: spec.config.layers.map((l) => (l.name === 'emb' ? { ...l, config: { ...l.config, mask_zero: false } } : l)) } };
    expect(onnxUnsupportedLayers(unmasked)).toEqual([]);
  });

  it('throws ONNX_UNSUPPORTED from the converter before converting anything', () => {
    const spec = graph('masked_add', [
      ['ids', 'Input', { shape: [5] }, []],
      ['emb', 'Embedding', { input_dim: 7, output_dim: 3, mask_zero: true }, ['ids']],
      ['seq', 'SimpleRNN', { units: 3, return_sequences: true }, ['emb']],
      ['sum', 'Add', {}, ['seq', 'emb']],
      ['flat', 'Flatten', {}, ['sum']],
      ['out', 'Dense', { units: 2, activation: 'softmax' }, ['flat']],
    ]);
    const model = buildModel(tf, chain('stand_in', [4], [['Dense', { units: 2 }]]));
    try {
      expect(() => convertToOnnx(tf, model, spec)).toThrow(expect.objectContaining({
        code: 'ONNX_UNSUPPORTED',
        message: "The model \"masked_add\" cannot be exported to ONNX: sum (Add): it merges the padding mask of emb (mask_zero) in tfjs' own way, which the ONNX export does not repeat; set mask_zero of emb to false and train again to export.",
      }));
    } finally {
      model.dispose();
    }
  });
});
