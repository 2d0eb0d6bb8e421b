import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataConfigSchema } from '../../../src-shared/contract/data-config.ts';
import { TrainingConfigSchema } from '../../../src-shared/contract/project.ts';
import type { TrainEvent } from '../../../src-shared/contract/streams.ts';
import type { ModelSpec } from '../../../src-shared/spec/model-spec.ts';
import { TEMPLATES } from '../../../src-shared/spec/templates.ts';
import { writeDigitFolder } from '../testing/write-digit-folder.ts';
import { readRunRecord } from './run-store.ts';
import { runTraining } from './train-run.ts';

let work: string;
beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-seed-'));
  await writeDigitFolder(path.join(work, 'digits'), { perClass: 40, seed: 6 });
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** The per-epoch losses of one run. */
async function curve(spec: ModelSpec, seed: number | undefined, tag: string): Promise<{ losses: number[]; runDir: string }> {
  const runDir = path.join(work, `${tag}-${Math.random().toString(36).slice(2)}`);
  const events: TrainEvent[] = [];
  await runTraining({
    runId: 'seed', runDir, spec,
    data: DataConfigSchema.parse({ kind: 'image-folder', path: path.join(work, 'digits'), imageSize: [28, 28], channels: 1 }),
    training: TrainingConfigSchema.parse({ epochs: 3, batchSize: 16, ...(seed === undefined ? {} : { seed }) }),
  }, (e) => events.push(e), new AbortController().signal);
  return { losses: events.flatMap((e) => (e.type === 'epoch' ? [e.loss!, e.val_loss!] : [])), runDir };
}

describe('a seed', () => {
  // The MLP template has dropout, so the graph engine's random ops are covered too.
  const mlp = TEMPLATES.find((t) => t.id === 'mlp')!.build({ inputShape: [28, 28, 1], classes: 10 });
  const lenet = TEMPLATES.find((t) => t.id === 'lenet')!.build({ inputShape: [28, 28, 1], classes: 10 });

  it('gives the same curve on the graph engine (weights, shuffle and dropout), another seed another curve', async () => {
    const a = await curve(mlp, 7, 'graph');
    const b = await curve(mlp, 7, 'graph');
    const c = await curve(mlp, 8, 'graph');
    expect(readRunRecord(a.runDir).backend.execution).toBe('graph');
    expect(b.losses).toEqual(a.losses);
    expect(c.losses).not.toEqual(a.losses);
  });

  it('gives the same curve op by op (weights, shuffle and dropout), another seed another curve', async () => {
    process.env.STRATA_EXECUTION = 'op-by-op';
    try {
      const a = await curve(mlp, 11, 'op');
      const b = await curve(mlp, 11, 'op');
      const c = await curve(mlp, 12, 'op');
      expect(readRunRecord(a.runDir).backend.execution).toBe('op-by-op');
      expect(b.losses).toEqual(a.losses);
      expect(c.losses).not.toEqual(a.losses);
    } finally {
      delete process.env.STRATA_EXECUTION;
    }
  });

  it('is chosen and recorded when the settings name none, so the run can be repeated', async () => {
    const first = await curve(lenet, undefined, 'auto');
    const seed = readRunRecord(first.runDir).training.seed!;
    expect(seed).toBeGreaterThan(0);
    const again = await curve(lenet, seed, 'again');
    expect(again.losses).toEqual(first.losses);
  });
});
