import fs from 'node:fs';
import path from 'node:path';
import type * as tfType from '@tensorflow/tfjs';
import { GAN_RUN_VERSION, type GanEvent, type GanRunRecord, type GanSpec, type GanTrainingConfig } from '../../../src-shared/contract/gan.ts';
import type { RunStatus } from '../../../src-shared/contract/streams.ts';
import { checkGan } from '../../../src-shared/graph/gan-check.ts';
import { seededRandom } from '../../../src-shared/util/seeded-random.ts';
import { StrataError, toContractError } from '../../strata-error.ts';
import { loadEngineBackend } from '../backend/load-engine-backend.ts';
import { backendLine, measureBackendSpeed } from '../doctor.ts';
import { saveModelFolder } from '../io/model-folder.ts';
import { appendGanEvent, GAN_RUN_FILES, writeGanRunRecord } from './gan-run-store.ts';
import { buildGanModels, GanTrainer, normalNoise, toGanRange } from './gan-trainer.ts';
import { encodeImageGrid } from './sample-images.ts';

/** Real images for a GAN: `count × h × w × c` pixels in [0, 1], as Strata's image loader gives them. */
export interface GanImages {
  pixels: Float32Array;
  count: number;
  /** [h, w, c] */
  shape: [number, number, number];
  /** Where they came from (recorded in gan-run.json). */
  source: string;
}

export interface GanRunRequest {
  runId: string;
  runDir: string;
  gan: GanSpec;
  training: GanTrainingConfig;
  images: GanImages;
}

type EndEvent = Extract<GanEvent, { type: 'end' }>;

/** The fixed noise of the sample grid: the same images at every epoch, so the timeline shows learning, not luck. */
export const sampleGridNoiseSeed = (seed: number): number => seed * 31 + 17;

/**
 * One GAN run, start to end: alternating steps over shuffled real images, an epoch event
 * (both losses, the discriminator's accuracy on real and on generated images), the sample
 * grid from fixed noise and both checkpoints at every epoch end. Every event goes to `emit`
 * and to events.jsonl; it always ends with exactly one `end` event. Aborting `signal`
 * stops after the current step, keeping the last epoch's checkpoint.
 */
export async function runGanTraining(req: GanRunRequest, emit: (e: GanEvent) => void, signal: AbortSignal): Promise<EndEvent> {
  fs.mkdirSync(req.runDir, { recursive: true });
  const send = (e: GanEvent): void => {
    appendGanEvent(req.runDir, e);
    emit(e);
  };
  let record: GanRunRecord | null = null;
  const finish = (status: RunStatus, reason?: string, err?: unknown): EndEvent => {
    if (record) writeGanRunRecord(req.runDir, { ...record, status, reason: reason ?? null, endedAt: new Date().toISOString() });
    const end: EndEvent = { type: 'end', status, runDir: req.runDir, ...(reason ? { reason } : {}), ...(err === undefined ? {} : { error: toContractError(err) }) };
    send(end);
    return end;
  };

  let trainer: GanTrainer | null = null;
  try {
    const { gan, training, images } = req;
    const errors = checkGan(gan, images.shape).filter((i) => i.severity === 'error');
    if (errors.length > 0) {
      throw new StrataError('GAN_INVALID', `The GAN cannot train on ${images.source}:\n${errors.map((e) => `  - ${e.message}`).join('\n')}`, { issues: errors });
    }
    if (images.count < training.batchSize) {
      throw new StrataError('TOO_FEW_IMAGES', `${images.source} has ${images.count} images, fewer than one batch (${training.batchSize}); add images or lower the batch size.`);
    }
    const backend = await loadEngineBackend();
    const { tf } = backend;
    // Never train silently on a fallback: the line says which engine and, off native, how much slower.
    const line = backendLine(backend, await measureBackendSpeed(backend, 150));
    record = {
      schemaVersion: GAN_RUN_VERSION, kind: 'gan', runId: req.runId, createdAt: new Date().toISOString(), endedAt: null, status: 'running', reason: null,
      gan, training, data: { path: images.source, imageShape: images.shape },
      backend: { name: backend.name, native: backend.native, libtensorflowVersion: backend.libtensorflowVersion }, checkpointEpoch: 0, pid: process.pid, lastEpoch: null,
    };
    writeGanRunRecord(req.runDir, record);

    const perEpoch = Math.min(images.count, training.samplesPerEpoch ?? images.count);
    const batchesPerEpoch = Math.floor(perEpoch / training.batchSize);
    send({ type: 'started', runDir: req.runDir, epochs: training.epochs, batchesPerEpoch, trainCount: images.count, imageShape: images.shape, noiseSize: gan.noiseSize, backend: backend.name, backendLine: line });

    trainer = new GanTrainer(tf, buildGanModels(tf, gan, training.seed, { averaged: training.generatorAverage > 0 }), training, gan.noiseSize, seededRandom(training.seed * 7919 + 1));
    const shuffleRandom = seededRandom(training.seed + 1);
    const gridCount = training.gridSize * training.gridSize;
    const gridNoise = normalNoise(seededRandom(sampleGridNoiseSeed(training.seed)), gridCount, gan.noiseSize);
    const [h, w, c] = images.shape;
    const sampleSize = h * w * c;
    const batch = new Float32Array(training.batchSize * sampleSize);
    const order = Int32Array.from({ length: images.count }, (_, i) => i);
    const started = performance.now();
    let lastBatchEvent = -Infinity;
    fs.mkdirSync(path.join(req.runDir, GAN_RUN_FILES.samples), { recursive: true });

    for (let epoch = 1; epoch <= training.epochs; epoch++) {
      const epochStart = performance.now();
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(shuffleRandom() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      let dLossSum = 0, gLossSum = 0, realRight = 0, fakeRight = 0, seen = 0;
      for (let b = 0; b < batchesPerEpoch; b++) {
        if (signal.aborted) return finish('cancelled', `stopped during epoch ${epoch}; the checkpoint is from epoch ${record.checkpointEpoch}`);
        for (let k = 0; k < training.batchSize; k++) {
          const s = order[b * training.batchSize + k]!;
          batch.set(images.pixels.subarray(s * sampleSize, (s + 1) * sampleSize), k * sampleSize);
        }
        const real = tf.tidy(() => toGanRange(tf, tf.tensor4d(batch, [training.batchSize, h, w, c]))) as tfType.Tensor4D;
        const step = trainer.step(real);
        real.dispose();
        if (!Number.isFinite(step.dLoss) || !Number.isFinite(step.gLoss)) {
          return finish('diverged', `a loss became ${Number.isFinite(step.dLoss) ? step.gLoss : step.dLoss} at epoch ${epoch}, batch ${b + 1}; lower the learning rates`);
        }
        dLossSum += step.dLoss; gLossSum += step.gLoss; realRight += step.realCorrect; fakeRight += step.fakeCorrect; seen += training.batchSize;
        // Batch events are throttled at the source: at most 20 a second, plus each epoch's last.
        const now = performance.now();
        if (now - lastBatchEvent >= 50 || b === batchesPerEpoch - 1) {
          lastBatchEvent = now;
          const done = (epoch - 1) * batchesPerEpoch + b + 1;
          const total = training.epochs * batchesPerEpoch;
          const elapsed = (now - started) / 1000;
          send({ type: 'batch', epoch, batch: b + 1, d_loss: step.dLoss, g_loss: step.gLoss, progress: done / total, etaSeconds: done >= 2 ? (elapsed / done) * (total - done) : null });
        }
      }
      const n = batchesPerEpoch;
      const metrics = { epoch, d_loss: dLossSum / n, g_loss: gLossSum / n, d_acc_real: realRight / seen, d_acc_fake: fakeRight / seen };
      await saveModelFolder(tf, trainer.keptGenerator, path.join(req.runDir, GAN_RUN_FILES.generator));
      await saveModelFolder(tf, trainer.models.discriminator, path.join(req.runDir, GAN_RUN_FILES.discriminator));
      record = { ...record, checkpointEpoch: epoch, lastEpoch: metrics };
      writeGanRunRecord(req.runDir, record);
      send({ type: 'epoch', ...metrics, seconds: (performance.now() - epochStart) / 1000 });
      send(await sampleGrid(trainer, gridNoise, training.gridSize, images.shape, epoch, req.runDir));
    }
    return finish('completed');
  } catch (err) {
    return finish('failed', err instanceof Error ? err.message : String(err), err);
  } finally {
    trainer?.dispose();
  }
}

async function sampleGrid(trainer: GanTrainer, noise: Float32Array, gridSize: number, [h, w, c]: [number, number, number], epoch: number, runDir: string): Promise<GanEvent> {
  const count = gridSize * gridSize;
  const images = trainer.generate(noise, count);
  const pixels = images.dataSync() as Float32Array;
  images.dispose();
  const grid = await encodeImageGrid({ pixels, count, height: h, width: w, channels: c }, gridSize);
  const file = path.join(GAN_RUN_FILES.samples, `epoch-${String(epoch).padStart(4, '0')}.png`);
  fs.writeFileSync(path.join(runDir, file), grid.png);
  return { type: 'samples', epoch, file, width: grid.width, height: grid.height, png: `data:image/png;base64,${grid.png.toString('base64')}` };
}
