import fs from 'node:fs';
import path from 'node:path';
import type * as tfType from '@tensorflow/tfjs';
import type { GanRunRecord } from '../../../src-shared/contract/gan.ts';
import { seededRandom } from '../../../src-shared/util/seeded-random.ts';
import { StrataError } from '../../strata-error.ts';
import { loadEngineBackend, type Tf } from '../backend/load-engine-backend.ts';
import { loadModelFolder } from '../io/model-folder.ts';
import { GAN_RUN_FILES, readGanRunRecord } from './gan-run-store.ts';
import { fromGanRange, normalNoise } from './gan-trainer.ts';
import { encodeImagePngs } from './sample-images.ts';

export interface GanGenerator {
  tf: Tf;
  record: GanRunRecord;
  model: tfType.LayersModel;
}

/** A GAN run's generator from its latest checkpoint, on the engine's backend. */
export async function loadGanGenerator(runDir: string): Promise<GanGenerator> {
  const dir = path.resolve(runDir);
  const record = readGanRunRecord(dir);
  if (record.checkpointEpoch === 0) {
    throw new StrataError('NO_CHECKPOINT', `The GAN run in ${dir} has no trained generator yet (no epoch has completed). Train for at least one epoch.`);
  }
  const { tf } = await loadEngineBackend();
  return { tf, record, model: await loadModelFolder(tf, path.join(dir, GAN_RUN_FILES.generator)) };
}

/** `count` images from seeded noise, in [0, 1] (`count × h × w × c`), made in batches of 256. */
export function generateImages(generator: GanGenerator, count: number, seed: number): { pixels: Float32Array; shape: [number, number, number] } {
  const { tf, model, record } = generator;
  const [h, w, c] = record.data.imageShape as [number, number, number];
  const noiseSize = record.gan.noiseSize;
  const noise = normalNoise(seededRandom(seed), count, noiseSize);
  const pixels = new Float32Array(count * h * w * c);
  for (let from = 0; from < count; from += 256) {
    const n = Math.min(256, count - from);
    const batch = tf.tidy(() => fromGanRange(tf, model.predict(tf.tensor2d(noise.subarray(from * noiseSize, (from + n) * noiseSize), [n, noiseSize])) as tfType.Tensor));
    pixels.set(batch.dataSync(), from * h * w * c);
    batch.dispose();
  }
  return { pixels, shape: [h, w, c] };
}

/**
 * `strata generate`: writes `count` PNGs (`sample-0000.png` …) made by the run's generator
 * to `out`, denormalised from the generator's [-1, 1] to 0–255. The same seed writes the same images.
 */
export async function generateToFolder(runDir: string, { count, out, seed }: { count: number; out: string; seed: number }): Promise<{ files: string[]; epoch: number }> {
  const generator = await loadGanGenerator(runDir);
  try {
    const { pixels, shape: [h, w, c] } = generateImages(generator, count, seed);
    const pngs = await encodeImagePngs({ pixels, count, height: h, width: w, channels: c });
    fs.mkdirSync(out, { recursive: true });
    const digits = Math.max(4, String(count - 1).length);
    const files = pngs.map((png, i) => {
      const file = path.join(out, `sample-${String(i).padStart(digits, '0')}.png`);
      fs.writeFileSync(file, png);
      return file;
    });
    return { files, epoch: generator.record.checkpointEpoch };
  } finally {
    generator.model.dispose();
  }
}
