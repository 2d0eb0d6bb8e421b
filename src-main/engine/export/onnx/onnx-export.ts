import path from 'node:path';
import type { ExportResult, ParityResult } from '../../../../src-shared/contract/export.ts';
import { writeFileAtomic } from '../../../projects/atomic-write.ts';
import { loadRunModel } from '../../run-model.ts';
import { recordExport } from '../export-record.ts';
import { compareOutputs, paritySamples } from '../parity-samples.ts';
import { convertToOnnx } from './onnx-convert.ts';
import { onnxRuntimeName, openOnnxModel } from './onnx-predict.ts';

/**
 * The ONNX export of a run's checkpoint (one .onnx file, opset 17), then proof: onnxruntime
 * loads the written file, as a consumer would, and predicts the run's validation inputs;
 * its outputs are compared with Strata's. A layer the export cannot write stops it with
 * StrataError('ONNX_UNSUPPORTED') before anything is written.
 */
export async function exportOnnx(runDir: string, outFile: string): Promise<ExportResult> {
  const run = await loadRunModel(runDir);
  const converted = convertToOnnx(run.tf, run.model, run.record.spec);
  const file = path.resolve(outFile);
  writeFileAtomic(file, converted.bytes);

  const samples = await paritySamples(run);
  const runtime = await onnxRuntimeName();
  let parity: ParityResult;
  try {
    const predictor = await openOnnxModel(file);
    try {
      parity = compareOutputs('onnx', runtime, samples, await predictor.predict(samples.x, [samples.count, ...samples.sampleShape]));
    } finally {
      await predictor.release();
    }
  } catch (err) {
    // A file onnxruntime refuses is a failed export, reported as such rather than thrown away.
    const why = err instanceof Error ? err.message : String(err);
    parity = { format: 'onnx', runtime, samples: samples.count, maxAbsDiff: null, argmaxAgreement: 0, passed: false, skipped: `onnxruntime could not run the export: ${why}` };
  }
  const result: ExportResult = { format: 'onnx', path: file, files: [path.basename(file)], parity, notes: converted.notes };
  recordExport(run.runDir, result);
  return result;
}
