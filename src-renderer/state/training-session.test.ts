import { describe, expect, it } from 'vitest';
import type { TrainEvent } from '../../src-shared/contract/streams.ts';
import { chartEpochs, formatDuration, IDLE_SESSION, isActive, MAX_BATCH_POINTS, reduceTrainEvent, startingSession } from './training-session.ts';

const saliencyAt1: TrainEvent = {
  type: 'saliency', epoch: 1, seconds: 0.02, share: 0.01, skippedEpochs: 0,
  probes: [{ id: '3/a.png', label: '3', predicted: '3', confidence: 0.9, image: 'data:image/png;base64,AA==', maps: { gradcam: 'data:image/png;base64,AA==' } }],
};
const started: TrainEvent = {
  type: 'started', runId: 'r1', runDir: '/runs/r1', backend: 'wasm', native: false, backendLine: 'wasm (3× slower)', execution: 'op-by-op', executionLine: 'execution: op by op (tfjs fit)',
  epochs: 2, batchesPerEpoch: 4, trainCount: 128, validationCount: 32, classes: ['a', 'b'],
};

describe('reduceTrainEvent', () => {
  it('folds a whole run into curves on one epoch axis', () => {
    const events: TrainEvent[] = [
      started,
      { type: 'batch', epoch: 1, batch: 2, loss: 2, acc: 0.2, progress: 0.25, etaSeconds: 9 },
      { type: 'batch', epoch: 1, batch: 4, loss: 1, acc: 0.5, progress: 0.5, etaSeconds: 5 },
      { type: 'epoch', epoch: 1, loss: 1.2, acc: 0.45, val_loss: 1.1, val_acc: 0.5, seconds: 3 },
      saliencyAt1,
      { type: 'batch', epoch: 2, batch: 2, loss: 0.8, acc: 0.7, progress: 0.75, etaSeconds: 2 },
      { type: 'end', status: 'cancelled', runDir: '/runs/r1', reason: 'stopped by the user' },
    ];
    const s = events.reduce(reduceTrainEvent, startingSession());
    expect({ ...s, started: s.started?.runId }).toEqual({
      phase: 'ended', runId: 'r1', started: 'r1', error: null, checkpointEpoch: 1,
      batches: [{ x: 0.5, loss: 2, acc: 0.2 }, { x: 1, loss: 1, acc: 0.5 }, { x: 1.5, loss: 0.8, acc: 0.7 }],
      epochs: [{ x: 1, loss: 1.2, acc: 0.45, val_loss: 1.1, val_acc: 0.5, seconds: 3 }],
      progress: { epoch: 2, batch: 2, fraction: 0.75, etaSeconds: 2 },
      end: { type: 'end', status: 'cancelled', runDir: '/runs/r1', reason: 'stopped by the user' },
      saliency: [saliencyAt1],
    });
    expect([isActive(IDLE_SESSION), isActive(startingSession()), isActive(s)]).toEqual([false, true, false]);
  });

  it('thins the batch curve of a long run instead of growing without bound', () => {
    let s = reduceTrainEvent(startingSession(), { ...started, batchesPerEpoch: 10_000, epochs: 1 });
    for (let b = 1; b <= MAX_BATCH_POINTS * 3; b++) {
      s = reduceTrainEvent(s, { type: 'batch', epoch: 1, batch: b, loss: 1, acc: 0, progress: b / 10_000, etaSeconds: null });
    }
    expect({ bounded: s.batches.length <= MAX_BATCH_POINTS, last: s.batches.at(-1)?.x }).toEqual({ bounded: true, last: (MAX_BATCH_POINTS * 3) / 10_000 });
  });
});

describe('formatDuration', () => {
  it('reads like a person would say it', () => {
    expect([0.4, 12, 65, 3725].map(formatDuration)).toEqual(['0 s', '12 s', '1 m 05 s', '1 h 02 m']);
  });
});

describe('chartEpochs', () => {
  it('spans a short run whole and a long run as far as it got', () => {
    const at = (x: number) => [{ x, loss: 1, acc: 0 }];
    expect([chartEpochs([], [], 5), chartEpochs(at(2.5), [], 30), chartEpochs(at(14.2), [], 30), chartEpochs(at(29.9), [], 30)]).toEqual([5, 10, 16, 30]);
  });
});
