import { describe, expect, it } from 'vitest';
import { ImageDataConfigSchema } from '../../src-shared/contract/data-config.ts';
import { TrainingConfigSchema } from '../../src-shared/contract/project.ts';
import type { RunDetails } from '../../src-shared/contract/run-record.ts';
import { updateConfig } from '../../src-shared/graph/graph-edits.ts';
import { TEMPLATES } from '../../src-shared/spec/templates.ts';
import { graphDiff, overlayRows, settingsDiff } from './run-compare.ts';

const lenet = TEMPLATES.find((t) => t.id === 'lenet')!.build();
function run(runId: string, patch: Partial<RunDetails> = {}): RunDetails {
  return {
    runId, runDir: `/runs/${runId}`, name: null, note: null, status: 'completed', reason: null, createdAt: '2026-11-24T07:00:00Z', endedAt: null,
    epochs: 3, checkpointEpoch: 3, lastEpoch: null, resumes: 0, dataKind: 'image-folder', task: 'classification',
    training: TrainingConfigSchema.parse({}), data: ImageDataConfigSchema.parse({ kind: 'image-folder', path: '/d' }), spec: lenet,
    backend: { name: 'tensorflow', native: true, libtensorflowVersion: '2.15.1', execution: 'graph' }, datasetFingerprint: 'abc',
    history: [1, 2, 3].map((epoch) => ({ epoch, loss: 1 / epoch, acc: null, val_loss: 2 / epoch, val_acc: null, learningRate: 0.001 })),
    ...patch,
  };
}

describe('comparing runs', () => {
  it('lists only what differs: settings, data, and layers', () => {
    const a = run('a');
    const b = run('b', {
      training: TrainingConfigSchema.parse({ learningRate: 0.01, schedule: { kind: 'cosine' } }),
      spec: updateConfig(lenet, 'dense_1', { units: 64 }),
      datasetFingerprint: 'def',
    });
    expect(settingsDiff([a, b])).toEqual([
      { key: 'data fingerprint', values: ['abc', 'def'] },
      { key: 'training.learningRate', values: ['0.001', '0.01'] },
      { key: 'training.schedule.floor', values: ['—', '0'] },
      { key: 'training.schedule.kind', values: ['"constant"', '"cosine"'] },
    ]);
    expect(graphDiff([a, b]).map((d) => d.key)).toEqual(['dense_1']);
    expect(settingsDiff([a, run('c')])).toEqual([]);
  });

  it('lines the runs up by epoch for the overlay, with gaps where a run has no such epoch', () => {
    const short = run('s', { history: [{ epoch: 1, loss: 1, acc: null, val_loss: 0.5, val_acc: null, learningRate: null }] });
    expect(overlayRows([run('a'), short], 'val_loss')).toEqual([{ epoch: 1, a: 2, s: 0.5 }, { epoch: 2, a: 1, s: null }, { epoch: 3, a: 2 / 3, s: null }]);
  });
});
