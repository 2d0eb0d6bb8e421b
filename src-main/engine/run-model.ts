import path from 'node:path';
import type * as tfType from '@tensorflow/tfjs';
import type { RunRecord } from '../../src-shared/contract/run-record.ts';
import { StrataError } from '../strata-error.ts';
import { loadEngineBackend, type Tf } from './backend/load-engine-backend.ts';
import { loadModelFolder } from './io/model-folder.ts';
import { checkpointDir, readRunRecord } from './train/run-store.ts';

export interface RunModel {
  tf: Tf;
  record: RunRecord;
  model: tfType.LayersModel;
  runDir: string;
}

// Explaining several images of one run should not reload its weights each time.
const cache = new Map<string, { epoch: number; loaded: Promise<RunModel> }>();

/** The run's record and its latest checkpoint, loaded on the engine's backend. */
export async function loadRunModel(runDir: string): Promise<RunModel> {
  const dir = path.resolve(runDir);
  const record = readRunRecord(dir);
  if (record.checkpointEpoch === 0) {
    throw new StrataError('NO_CHECKPOINT', `The run in ${dir} has no trained weights yet (no epoch has completed). Train for at least one epoch.`);
  }
  const hit = cache.get(dir);
  if (hit && hit.epoch === record.checkpointEpoch) return hit.loaded;
  hit?.loaded.then((m) => m.model.dispose(), () => {});
  const loaded = (async () => {
    const { tf } = await loadEngineBackend();
    const model = await loadModelFolder(tf, checkpointDir(dir));
    return { tf, record, model, runDir: dir };
  })();
  cache.set(dir, { epoch: record.checkpointEpoch, loaded });
  loaded.catch(() => cache.delete(dir));
  return loaded;
}

/**
 * How a run's images are prepared (size and channels). Samples, explanations and
 * predictions from files work on image runs; other kinds say so instead of guessing.
 */
export function imageInput(record: RunRecord): { imageSize: [number, number]; channels: 1 | 3 } {
  if (record.data.kind !== 'image-folder') {
    throw new StrataError('NOT_AN_IMAGE_RUN', `This run trained on ${record.data.kind === 'csv-table' ? 'a CSV table' : record.data.kind === 'text' ? 'texts' : 'a time series'} (${record.data.path}); image samples, image explanations and predictions from image files work on image runs only.`);
  }
  return { imageSize: record.data.imageSize, channels: record.data.channels };
}

/** Class probabilities for a batch of preprocessed images (n × h × w × c). */
export function predictProbabilities(run: RunModel, pixels: Float32Array, count: number): number[][] {
  const { tf, record, model } = run;
  const { imageSize: [h, w], channels } = imageInput(record);
  return tf.tidy(() => {
    const out = model.predict(tf.tensor4d(pixels, [count, h, w, channels])) as tfType.Tensor2D;
    const probs = record.spec.config.layers.find((l) => l.name === model.outputNames[0])?.config.activation === 'softmax' ? out : tf.softmax(out);
    return probs.arraySync();
  });
}
