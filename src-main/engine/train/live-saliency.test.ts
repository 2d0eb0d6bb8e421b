import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataConfigSchema } from '../../../src-shared/contract/data-config.ts';
import { TrainingConfigSchema } from '../../../src-shared/contract/project.ts';
import type { TrainEvent } from '../../../src-shared/contract/streams.ts';
import { TEMPLATES } from '../../../src-shared/spec/templates.ts';
import { writeDigitFolder } from '../testing/write-digit-folder.ts';
import { ProbeBudget } from './live-saliency.ts';
import { readRunEvents } from './run-store.ts';
import { runTraining } from './train-run.ts';

describe('the live-saliency budget', () => {
  it('computes the first maps, then only while the total stays within the share of training time', () => {
    const budget = new ProbeBudget(0.05);
    expect(budget.due(1)).toBe(true); // the cost is not known yet
    expect(budget.spend(0.2, 1)).toBeCloseTo(0.2);
    // 0.2 s spent, 0.2 s more: due once training has run 8 s (0.4 ≤ 0.05 × 8).
    const dueAt = [2, 4, 6, 7.9, 8].map((t) => budget.due(t));
    expect(dueAt).toEqual([false, false, false, false, true]);
    expect(budget.skipped).toBe(4);
    expect(budget.spend(0.2, 8)).toBeCloseTo(0.05);
    expect(budget.skipped).toBe(0);
  });

  it('with a budget of 1 computes the maps at every epoch, whatever they cost', () => {
    const budget = new ProbeBudget(1);
    budget.spend(5, 1);
    expect([2, 3, 4].map((t) => { const d = budget.due(t); if (d) budget.spend(5, t); return d; })).toEqual([true, true, true]);
  });
});

describe('live saliency during training', () => {
  let work: string;
  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-live-saliency-'));
    await writeDigitFolder(path.join(work, 'digits'), { perClass: 40, seed: 21 });
  });
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  const lenet = TEMPLATES.find((t) => t.id === 'lenet')!.build({ inputShape: [28, 28, 1], classes: 10 });
  const data = () => DataConfigSchema.parse({ kind: 'image-folder', path: path.join(work, 'digits'), imageSize: [28, 28], channels: 1 });

  async function train(liveSaliency: Record<string, unknown>, tag: string): Promise<TrainEvent[]> {
    const runDir = path.join(work, tag);
    const events: TrainEvent[] = [];
    await runTraining({ runId: tag, runDir, spec: lenet, data: data(), training: TrainingConfigSchema.parse({ epochs: 3, batchSize: 16, seed: 3, liveSaliency }) },
      (e) => events.push(e), new AbortController().signal);
    expect(events.at(-1)).toMatchObject({ type: 'end', status: 'completed' });
    return events;
  }

  it('streams Grad-CAM and gradient maps of one validation image per class (up to four) at each epoch end, and logs them', async () => {
    const events = await train({ budget: 1 }, 'every-epoch');
    const saliency = events.filter((e): e is Extract<TrainEvent, { type: 'saliency' }> => e.type === 'saliency');
    expect(saliency.map((s) => s.epoch)).toEqual([1, 2, 3]);
    for (const s of saliency) {
      expect(s.probes).toHaveLength(4);
      expect(s.probes.map((p) => p.label)).toEqual(['0', '1', '2', '3']);
      for (const p of s.probes) {
        expect(Object.keys(p.maps).sort()).toEqual(['gradcam', 'vanilla']);
        expect(p.maps.gradcam).toMatch(/^data:image\/png;base64,/);
        expect(p.confidence).toBeGreaterThan(0);
        expect(p.id).toMatch(/^\d\//); // the validation file, pinnable
      }
      expect(s.seconds).toBeGreaterThan(0);
      expect(s.share).toBeGreaterThan(0);
    }
    // The maps change as the model learns: epoch 1's Grad-CAM of a probe is not epoch 3's.
    expect(saliency[0]!.probes[0]!.maps.gradcam).not.toBe(saliency[2]!.probes[0]!.maps.gradcam);
    // The log on disk keeps them, so the timeline can be replayed.
    expect(readRunEvents(path.join(work, 'every-epoch')).filter((e) => e.type === 'saliency')).toHaveLength(3);
  });

  it('watches pinned probes (files of the dataset) and none when switched off', async () => {
    // One validation image and one from training (a probe need not be a validation image).
    const files = ['7/7-00.png', '3/3-01.png'];
    for (const f of files) expect(fs.existsSync(path.join(work, 'digits', f))).toBe(true);
    const pinned = await train({ probes: files, budget: 1 }, 'pinned');
    const first = pinned.find((e) => e.type === 'saliency');
    expect(first?.type === 'saliency' && first.probes.map((p) => p.id)).toEqual(files);
    const off = await train({ enabled: false }, 'off');
    expect(off.some((e) => e.type === 'saliency')).toBe(false);
  });

  it('fails the run up front, naming the file, when a pinned probe cannot be read', async () => {
    const events: TrainEvent[] = [];
    await runTraining({
      runId: 'bad-probe', runDir: path.join(work, 'bad-probe'), spec: lenet, data: data(),
      training: TrainingConfigSchema.parse({ epochs: 1, liveSaliency: { probes: ['nope/missing.png'] } }),
    }, (e) => events.push(e), new AbortController().signal);
    expect(events.at(-1)).toMatchObject({ type: 'end', status: 'failed', error: { code: 'BAD_PROBE' } });
    expect((events.at(-1) as { reason: string }).reason).toMatch(/nope\/missing\.png cannot be read.*unpin it/);
  });
});
