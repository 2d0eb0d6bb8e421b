import fs from 'node:fs';
import path from 'node:path';
import type * as tfType from '@tensorflow/tfjs';
import { PARITY_TARGETS, type ExportFormat, type ExportResult, type ParityResult } from '../../../src-shared/contract/export.ts';
import { seededRandom } from '../../../src-shared/util/seeded-random.ts';
import { writeFileAtomic } from '../../projects/atomic-write.ts';
import { StrataError } from '../../strata-error.ts';
import { recordExport } from '../export/export-record.ts';
import { convertToOnnx } from '../export/onnx/onnx-convert.ts';
import { onnxRuntimeName, openOnnxModel } from '../export/onnx/onnx-predict.ts';
import { predictInCleanProcess } from '../export/tfjs-export.ts';
import { saveModelFolder } from '../io/model-folder.ts';
import { loadGanGenerator, type GanGenerator } from './generate-images.ts';
import { normalNoise } from './gan-trainer.ts';

const PARITY_NOISE = 32;

/**
 * A GAN run exports its generator (the discriminator only serves training), proven like any
 * export: the runtime that will load it turns the same seeded noise into images and they are
 * compared with Strata's, value by value. An image has no "top class", so the agreement
 * figure is the share of samples whose every pixel is within the tolerance.
 */
export async function exportGanGenerator(runDir: string, format: ExportFormat, out: string): Promise<ExportResult> {
  if (format !== 'tfjs' && format !== 'onnx') {
    throw new StrataError('GAN_EXPORT_FORMAT', `A GAN run exports its generator as tfjs or onnx; ${format} is for classifier and regression runs. Use --format tfjs or --format onnx.`);
  }
  const generator = await loadGanGenerator(runDir);
  try {
    const { noiseSize } = generator.record.gan;
    const x = normalNoise(seededRandom(2024), PARITY_NOISE, noiseSize);
    const expected = predictTanh(generator, x);
    const notes = [`The generator: input ${noiseSize} standard-normal numbers (NHWC images out, values in [-1, 1] from tanh); pixels in [0, 1] are (value + 1) / 2.`];
    let result: ExportResult;
    if (format === 'tfjs') {
      const dir = path.resolve(out);
      if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) throw new StrataError('NOT_A_FOLDER', `${dir} is a file; choose a folder to export into.`);
      const files = await saveModelFolder(generator.tf, generator.model, dir);
      const [h, w, c] = generator.record.data.imageShape;
      const metadata = { format: 'tfjs-layers-model', createdBy: 'Strata', kind: 'gan-generator', runId: generator.record.runId, epoch: generator.record.checkpointEpoch, input: { noise: noiseSize, distribution: 'standard normal' }, output: { height: h, width: w, channels: c, range: [-1, 1], layout: 'NHWC', toPixels01: '(value + 1) / 2' } };
      fs.writeFileSync(path.join(dir, 'metadata.json'), `${JSON.stringify(metadata, null, 2)}\n`);
      const loaded = predictInCleanProcess([{ modelJson: path.join(dir, 'model.json'), x, shape: [PARITY_NOISE, noiseSize] }]);
      const parity = 'error' in loaded
        ? failed('tfjs', 'tfjs-node (clean process)', `a clean tfjs-node process could not load the export: ${loaded.error}`)
        : compareImages('tfjs', loaded.runtime, expected, loaded.outputs[0]!);
      result = { format, path: dir, files: [...files, 'metadata.json'], parity, notes };
    } else {
      const converted = convertToOnnx(generator.tf, generator.model, generator.record.gan.generator);
      const file = path.resolve(path.extname(out).toLowerCase() === '.onnx' ? out : `${out}.onnx`);
      writeFileAtomic(file, converted.bytes);
      const runtime = await onnxRuntimeName();
      let parity: ParityResult;
      try {
        const predictor = await openOnnxModel(file);
        try {
          parity = compareImages('onnx', runtime, expected, await predictor.predict(x, [PARITY_NOISE, noiseSize]));
        } finally {
          await predictor.release();
        }
      } catch (err) {
        parity = failed('onnx', runtime, `onnxruntime could not run the export: ${err instanceof Error ? err.message : String(err)}`);
      }
      result = { format, path: file, files: [path.basename(file)], parity, notes: [...notes, ...converted.notes] };
    }
    recordExport(path.resolve(runDir), result);
    return result;
  } finally {
    generator.model.dispose();
  }
}

function predictTanh(generator: GanGenerator, x: Float32Array): Float32Array {
  const { tf, model, record } = generator;
  return tf.tidy(() => new Float32Array((model.predict(tf.tensor2d(x, [PARITY_NOISE, record.gan.noiseSize])) as tfType.Tensor).dataSync()));
}

function failed(format: ExportFormat, runtime: string, why: string): ParityResult {
  return { format, runtime, samples: PARITY_NOISE, maxAbsDiff: null, argmaxAgreement: 0, passed: false, skipped: why };
}

function compareImages(format: ExportFormat, runtime: string, expected: Float32Array, actual: ArrayLike<number>): ParityResult {
  if (actual.length !== expected.length) return failed(format, runtime, `the export made ${actual.length} values for ${expected.length} expected`);
  const perSample = expected.length / PARITY_NOISE;
  let maxAbsDiff: number | null = 0;
  let within = 0;
  for (let s = 0; s < PARITY_NOISE; s++) {
    let sampleMax = 0;
    for (let i = s * perSample; i < (s + 1) * perSample; i++) {
      const d = Math.abs(expected[i]! - actual[i]!);
      if (Number.isNaN(d)) sampleMax = Infinity; // a NaN never passes
      else sampleMax = Math.max(sampleMax, d);
    }
    if (sampleMax < PARITY_TARGETS.maxAbsDiff) within += 1;
    maxAbsDiff = maxAbsDiff === null || !Number.isFinite(sampleMax) ? null : Math.max(maxAbsDiff, sampleMax);
  }
  const argmaxAgreement = within / PARITY_NOISE;
  return { format, runtime, samples: PARITY_NOISE, maxAbsDiff, argmaxAgreement, skipped: null, passed: maxAbsDiff !== null && maxAbsDiff < PARITY_TARGETS.maxAbsDiff && argmaxAgreement >= PARITY_TARGETS.argmaxAgreement };
}
