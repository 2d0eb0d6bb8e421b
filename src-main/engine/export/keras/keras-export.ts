import path from 'node:path';
import type { ExportResult, ParityResult } from '../../../../src-shared/contract/export.ts';
import { loadRunModel } from '../../run-model.ts';
import { recordExport } from '../export-record.ts';
import { compareOutputs, paritySamples, type ParitySamples } from '../parity-samples.ts';
import { findPythonKeras, pythonKerasMissing, type PythonKeras } from '../python-runtime.ts';
import { writeKerasFile } from './keras-file.ts';
import { predictWithKeras } from './keras-predict-runner.ts';

/**
 * The Keras 3 export of a trained run: one `.keras` file (config.json, model.weights.h5,
 * metadata.json) that `keras.models.load_model` opens. Then proof: Python with Keras loads
 * the file in its own process and predicts the run's validation inputs, and its outputs
 * are compared with Strata's. Without such a Python the file is still written, and the
 * parity result says why it was not checked.
 */
export async function exportKeras(runDir: string, outFile: string): Promise<ExportResult> {
  const run = await loadRunModel(runDir);
  const where = path.resolve(outFile);
  const written = await writeKerasFile(run.tf, run.model, run.record.spec, where);
  const samples = await paritySamples(run);
  const python = findPythonKeras();
  const parity = python ? predictInKeras(python, where, samples) : missingPython(samples);
  const notes = [
    'Load it with keras.models.load_model(path) in Keras 3 (TensorFlow, JAX or PyTorch backend); the file holds the architecture and the trained weights, not the optimizer.',
    ...written.notes,
  ];
  if (run.record.spec.config.layers.some((l) => l.class_name === 'GRU' || (l.class_name === 'Bidirectional' && (l.config.layer as { class_name?: unknown } | undefined)?.class_name === 'GRU'))) {
    notes.push('GRU layers are written with reset_after=False, the GRU tfjs trains (Keras defaults to reset_after=True).');
  }
  const result: ExportResult = { format: 'keras', path: where, files: [where], parity, notes };
  recordExport(run.runDir, result);
  return result;
}

function missingPython(samples: ParitySamples): ParityResult {
  return { format: 'keras', runtime: 'Keras (not found)', samples: samples.count, maxAbsDiff: null, argmaxAgreement: 0, passed: false, skipped: pythonKerasMissing() };
}

function predictInKeras(python: PythonKeras, file: string, samples: ParitySamples): ParityResult {
  const runtime = `Keras ${python.keras} (TensorFlow ${python.tensorflow})`;
  const fail = (why: string): ParityResult => ({ format: 'keras', runtime, samples: samples.count, maxAbsDiff: null, argmaxAgreement: 0, passed: false, skipped: why });
  try {
    const run = predictWithKeras(python.python, [{ model: file, x: samples.x, shape: [samples.count, ...samples.sampleShape] }]);
    const [result] = run.results;
    if (!result) return fail('Keras returned no result');
    if (!result.ok) return fail(`Keras could not load or run the export: ${result.error}`);
    return compareOutputs('keras', `Keras ${run.keras} (TensorFlow ${run.tensorflow})`, samples, result.values);
  } catch (err) {
    return fail(err instanceof Error ? err.message : String(err));
  }
}
