// One benchmark leg in its own process: the backend is chosen per process (STRATA_BACKEND),
// so each leg gets a clean engine. Prints one JSON line on stdout.
import { loadEngineBackend } from '../../src-main/engine/backend/load-engine-backend.ts';
import { readDigitsFile } from './digits-file.ts';
import { BATCH_SIZE, buildMnistCnn } from './mnist-cnn.ts';

const [file, warmupArg, timedArg] = process.argv.slice(2);
const warmupBatches = Number(warmupArg);
const timedBatches = Number(timedArg);
if (!file || !(warmupBatches >= 0) || !(timedBatches >= 1)) {
  console.error('usage: tfjs-train-worker.ts <digits.bin> <warmupBatches> <timedBatches>');
  process.exit(2);
}

const backend = await loadEngineBackend();
const { tf } = backend;
const digits = readDigitsFile(file);
const need = (warmupBatches + timedBatches) * BATCH_SIZE;
if (digits.count < need) throw new Error(`${file} has ${digits.count} digits, the run needs ${need}`);

const model = buildMnistCnn(tf);
const slice = (from: number, batches: number) => {
  const n = batches * BATCH_SIZE;
  const x = tf.tensor4d(digits.pixels.subarray(from * 784, (from + n) * 784), [n, 28, 28, 1]);
  const y = tf.oneHot(tf.tensor1d(digits.labels.subarray(from, from + n), 'int32'), 10);
  return { x, y };
};
// Warm-up compiles kernels and allocates; the pure-JS cpu leg is too slow to afford one.
if (warmupBatches > 0) {
  const warm = slice(0, warmupBatches);
  await model.fit(warm.x, warm.y, { batchSize: BATCH_SIZE, epochs: 1, shuffle: false, verbose: 0 });
}
const timed = slice(warmupBatches * BATCH_SIZE, timedBatches);
let lastLoss = NaN;
const start = performance.now();
await model.fit(timed.x, timed.y, {
  batchSize: BATCH_SIZE, epochs: 1, shuffle: false, verbose: 0,
  callbacks: { onEpochEnd: (_e, logs) => { lastLoss = logs?.loss ?? NaN; } },
});
const seconds = (performance.now() - start) / 1000;
console.log(JSON.stringify({
  backend: backend.name, native: backend.native, threads: backend.threads,
  samples: timedBatches * BATCH_SIZE, seconds, samplesPerSec: (timedBatches * BATCH_SIZE) / seconds, loss: lastLoss,
}));
