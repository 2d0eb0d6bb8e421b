// One leg of `npm run bench:data-scale`, in its own process so its peak memory is its own:
// trains a small CNN for two epochs on the folder with the samples kept in memory, or
// streamed from the decoded-sample cache on disk, and prints epoch speed and peak RSS.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataConfigSchema } from '../../src-shared/contract/data-config.ts';
import { TrainingConfigSchema } from '../../src-shared/contract/project.ts';
import type { TrainEvent } from '../../src-shared/contract/streams.ts';
import { chain } from '../../src-shared/spec/templates.ts';
import { runTraining } from '../../src-main/engine/train/train-run.ts';

const [folder, storage, side] = process.argv.slice(2);
const size = Number(side);
const spec = chain('scale_cnn', [size, size, 3], [
  ['Conv2D', { filters: 8, kernel_size: [3, 3], activation: 'relu' }],
  ['MaxPooling2D', { pool_size: [4, 4] }],
  ['Flatten'],
  ['Dense', { units: 10, activation: 'softmax' }],
]);
const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-scale-'));
const events: TrainEvent[] = [];
const start = performance.now();
const end = await runTraining({
  runId: 'scale', runDir, spec,
  data: DataConfigSchema.parse({ kind: 'image-folder', path: folder, imageSize: [size, size], channels: 3, storage, validationSplit: 0.2, seed: 1 }),
  training: TrainingConfigSchema.parse({ epochs: 2, batchSize: 64, learningRate: 0.001 }),
}, (e) => events.push(e), new AbortController().signal);
fs.rmSync(runDir, { recursive: true, force: true });
if (end.status !== 'completed') { console.error(end.reason); process.exit(1); }
const started = events.find((e) => e.type === 'started') as Extract<TrainEvent, { type: 'started' }>;
const epochs = events.filter((e): e is Extract<TrainEvent, { type: 'epoch' }> => e.type === 'epoch');
// The second epoch: the first one also pays for the engine's warm-up.
const seconds = epochs[1]!.seconds;
console.log(JSON.stringify({
  storage, dataLine: started.dataLine, samplesPerSec: started.trainCount / seconds, epochSeconds: seconds,
  totalSeconds: (performance.now() - start) / 1000, maxRssMB: process.resourceUsage().maxRSS / 1024,
}));
