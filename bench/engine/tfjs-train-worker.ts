// One benchmark leg in its own process: the backend is chosen per process (STRATA_BACKEND),
// so each leg gets a clean engine. STRATA_BENCH_EXECUTION=graph trains the way a Strata run
// does on the native engine (the whole step as one TensorFlow graph, graph/graph-trainer.ts);
// `eager` trains with tfjs' model.fit, op by op. Prints one JSON line on stdout.
import { analyzeGraph } from '../../src-shared/graph/analyze-graph.ts';
import { loadEngineBackend } from '../../src-main/engine/backend/load-engine-backend.ts';
import { buildModel } from '../../src-main/engine/compile/compile-model.ts';
import { memorySplit } from '../../src-main/data/loaded-dataset.ts';
import { fitLoop } from '../../src-main/engine/train/fit-loop.ts';
import { graphStepper } from '../../src-main/engine/train/train-steppers.ts';
import { GraphTrainer } from '../../src-main/engine/graph/graph-trainer.ts';
import { loadGraphBinding } from '../../src-main/engine/graph/load-graph-binding.ts';
import { readDigitsFile } from './digits-file.ts';
import { BATCH_SIZE, mnistCnnSpec } from './mnist-cnn.ts';

const [file, warmupArg, timedArg] = process.argv.slice(2);
const warmupBatches = Number(warmupArg);
const timedBatches = Number(timedArg);
const execution = process.env.STRATA_BENCH_EXECUTION === 'graph' ? 'graph' : 'eager';
if (!file || !(warmupBatches >= 0) || !(timedBatches >= 1)) {
  console.error('usage: tfjs-train-worker.ts <digits.bin> <warmupBatches> <timedBatches>');
  process.exit(2);
}

const backend = await loadEngineBackend();
const { tf } = backend;
const digits = readDigitsFile(file);
const need = (warmupBatches + timedBatches) * BATCH_SIZE;
if (digits.count < need) throw new Error(`${file} has ${digits.count} digits, the run needs ${need}`);

const spec = mnistCnnSpec();
const model = buildModel(tf, spec);
const SAMPLE = [28, 28, 1];
const feedSet = (fromBatch: number, batches: number) => {
  const from = fromBatch * BATCH_SIZE;
  const n = batches * BATCH_SIZE;
  return { pixels: digits.pixels.subarray(from * 784, (from + n) * 784), labels: Int32Array.from(digits.labels.subarray(from, from + n)), count: n, sampleShape: SAMPLE };
};

/** Trains one pass over `batches` batches and returns the last epoch's loss. */
let train: (fromBatch: number, batches: number) => Promise<number>;
if (execution === 'graph') {
  const trainer = GraphTrainer.create(loadGraphBinding(), spec, analyzeGraph(spec), { optimizer: 'adam', learningRate: 0.001 }, model);
  train = async (fromBatch, batches) => {
    let loss = NaN;
    const set = feedSet(fromBatch, batches);
    const split = memorySplit(set.pixels, 784, set.labels, Array.from({ length: set.count }, (_, i) => String(i)));
    await fitLoop(graphStepper(trainer, SAMPLE), split, { epochs: 1, batchSize: BATCH_SIZE, shuffle: false, targetsPerSample: 1 }, { onEpochEnd: (_e, logs) => { loss = logs.loss; } });
    return loss;
  };
} else {
  model.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  train = async (fromBatch, batches) => {
    const set = feedSet(fromBatch, batches);
    const x = tf.tensor4d(set.pixels, [set.count, 28, 28, 1]);
    const y = tf.oneHot(tf.tensor1d(set.labels, 'int32'), 10);
    let loss = NaN;
    await model.fit(x, y, { batchSize: BATCH_SIZE, epochs: 1, shuffle: false, verbose: 0, callbacks: { onEpochEnd: (_e, logs) => { loss = logs?.loss ?? NaN; } } });
    tf.dispose([x, y]);
    return loss;
  };
}

// Warm-up compiles kernels and allocates; the pure-JS cpu leg is too slow to afford one.
if (warmupBatches > 0) await train(0, warmupBatches);
// The fast engines time the same pass PASSES times and report the median (as the Keras
// leg does): one process can land on a slow spell of this shared 2-core machine.
const passes = backend.native ? 3 : 1;
const timings: number[] = [];
let lastLoss = NaN;
for (let pass = 0; pass < passes; pass++) {
  const start = performance.now();
  lastLoss = await train(warmupBatches, timedBatches);
  timings.push((performance.now() - start) / 1000);
}
const seconds = [...timings].sort((a, b) => a - b)[Math.floor(timings.length / 2)]!;
const samples = timedBatches * BATCH_SIZE;
console.log(JSON.stringify({
  backend: backend.name, native: backend.native, threads: backend.threads, execution,
  samples, seconds, samplesPerSec: samples / seconds, passes: timings.map((t) => samples / t), loss: lastLoss,
}));
