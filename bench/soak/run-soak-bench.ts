// `npm run bench:soak`: a 50-epoch run of a small model on real digits, in this process,
// recording tf.memory().numTensors and the process RSS at every epoch end — once on the
// graph engine and once op by op. Prints both series and the verdicts: tensor count the
// same at every epoch end from epoch 3 on, RSS growth from epoch 3 to the last < 5 %.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataConfigSchema } from '../../src-shared/contract/data-config.ts';
import { TrainingConfigSchema } from '../../src-shared/contract/project.ts';
import { chain } from '../../src-shared/spec/templates.ts';
import { loadEngineBackend } from '../../src-main/engine/backend/load-engine-backend.ts';
import { writeDigitFolder } from '../../src-main/engine/testing/write-digit-folder.ts';
import { runTraining } from '../../src-main/engine/train/train-run.ts';

const EPOCHS = 50;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-soak-'));
await writeDigitFolder(path.join(work, 'digits'), { perClass: 100, seed: 2 });
const { tf } = await loadEngineBackend();
const spec = chain('soak', [28, 28, 1], [
  ['Conv2D', { filters: 8, kernel_size: [3, 3], activation: 'relu' }],
  ['MaxPooling2D', { pool_size: [2, 2] }],
  ['Flatten'],
  ['Dropout', { rate: 0.2 }],
  ['Dense', { units: 10, activation: 'softmax' }],
]);

let failed = false;
for (const execution of ['graph', 'op-by-op'] as const) {
  if (execution === 'op-by-op') process.env.STRATA_EXECUTION = 'op-by-op';
  const tensors: number[] = [];
  const rss: number[] = [];
  const start = performance.now();
  const end = await runTraining({
    runId: `soak-${execution}`, runDir: path.join(work, execution), spec,
    data: DataConfigSchema.parse({ kind: 'image-folder', path: path.join(work, 'digits'), imageSize: [28, 28], channels: 1 }),
    training: TrainingConfigSchema.parse({ epochs: EPOCHS, batchSize: 32, schedule: { kind: 'cosine' } }),
  }, (e) => {
    if (e.type !== 'epoch') return;
    tensors.push(tf.memory().numTensors);
    rss.push(process.memoryUsage().rss / 2 ** 20);
  }, new AbortController().signal);
  delete process.env.STRATA_EXECUTION;
  const steady = tensors.slice(2);
  const sameTensors = steady.every((n) => n === steady[0]);
  const growth = (rss.at(-1)! - rss[2]!) / rss[2]!;
  console.log(`\n${execution}: ${end.status} in ${((performance.now() - start) / 1000).toFixed(0)} s`);
  console.log(`  tensors at epoch ends: ${tensors.join(' ')}`);
  console.log(`  RSS MB at epoch ends:  ${rss.map((m) => m.toFixed(0)).join(' ')}`);
  console.log(`  tensor count from epoch 3 on: ${sameTensors ? `constant (${steady[0]})` : 'CHANGES'}; RSS growth epoch 3 → ${EPOCHS}: ${(growth * 100).toFixed(1)} % (target < 5 %: ${growth < 0.05 ? 'met' : 'NOT met'})`);
  failed ||= end.status !== 'completed' || !sameTensors || growth >= 0.05;
}
fs.rmSync(work, { recursive: true, force: true });
process.exitCode = failed ? 1 : 0;
