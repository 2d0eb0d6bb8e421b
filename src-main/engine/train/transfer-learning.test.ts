import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataConfigSchema } from '../../../src-shared/contract/data-config.ts';
import { TrainingConfigSchema } from '../../../src-shared/contract/project.ts';
import type { TrainEvent } from '../../../src-shared/contract/streams.ts';
import { setTrainable } from '../../../src-shared/graph/graph-edits.ts';
import { TEMPLATES } from '../../../src-shared/spec/templates.ts';
import { loadEngineBackend } from '../backend/load-engine-backend.ts';
import { loadModelFolder } from '../io/model-folder.ts';
import { writeDigitFolder } from '../testing/write-digit-folder.ts';
import { checkpointDir, readRunRecord } from './run-store.ts';
import { runTraining } from './train-run.ts';

let work: string;
beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-transfer-'));
  await writeDigitFolder(path.join(work, 'digits'), { perClass: 30, seed: 5 });
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const data = () => DataConfigSchema.parse({ kind: 'image-folder', path: path.join(work, 'digits'), imageSize: [28, 28], channels: 1 });

async function train(req: Omit<Parameters<typeof runTraining>[0], 'data'>): Promise<TrainEvent[]> {
  const events: TrainEvent[] = [];
  await runTraining({ ...req, data: data() }, (e) => events.push(e), new AbortController().signal);
  return events;
}

/** Each layer's weights in the run's checkpoint, as plain arrays. */
async function checkpointWeights(runDir: string): Promise<Record<string, number[][]>> {
  const { tf } = await loadEngineBackend();
  const model = await loadModelFolder(tf, checkpointDir(runDir));
  try {
    return Object.fromEntries(model.layers.map((l) => [l.name, l.getWeights().map((w) => Array.from(w.dataSync()))]));
  } finally {
    model.dispose();
  }
}

describe('frozen layers', () => {
  it('keep their weights while the rest trains (checked across a resumed run), and train op by op', async () => {
    const lenet = TEMPLATES.find((t) => t.id === 'lenet')!.build({ inputShape: [28, 28, 1], classes: 10 });
    const spec = setTrainable(lenet, ['conv2d_1', 'conv2d_2'], false);
    const runDir = path.join(work, 'frozen');
    const training = TrainingConfigSchema.parse({ epochs: 1, batchSize: 16, seed: 4, liveSaliency: { enabled: false } });
    const first = await train({ runId: 'frozen', runDir, spec, training });
    expect(first.at(-1), JSON.stringify(first.at(-1))).toMatchObject({ type: 'end', status: 'completed' });
    expect(first[0]).toMatchObject({ type: 'started', execution: 'op-by-op', executionLine: expect.stringMatching(/frozen layers \(conv2d_1, conv2d_2\)/) });
    const after1 = await checkpointWeights(runDir);

    // As if it had been stopped after epoch 1 of 3: resuming trains epochs 2 and 3 from the checkpoint.
    const record = readRunRecord(runDir);
    fs.writeFileSync(path.join(runDir, 'run.json'), JSON.stringify({ ...record, status: 'cancelled', training: { ...record.training, epochs: 3 } }));
    const resumed = await train({ runId: 'frozen', runDir, spec, training: { ...training, epochs: 3 }, resume: true });
    expect(resumed.at(-1), JSON.stringify(resumed.at(-1))).toMatchObject({ type: 'end', status: 'completed' });
    const after3 = await checkpointWeights(runDir);

    expect(after3.conv2d_1).toEqual(after1.conv2d_1);
    expect(after3.conv2d_2).toEqual(after1.conv2d_2);
    expect(after3.dense_1).not.toEqual(after1.dense_1); // the rest did train
  });
});
