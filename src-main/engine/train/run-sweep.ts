import fs from 'node:fs';
import path from 'node:path';
import type { DataConfig } from '../../../src-shared/contract/data-config.ts';
import type { TrainingConfig } from '../../../src-shared/contract/project.ts';
import type { TrainEvent } from '../../../src-shared/contract/streams.ts';
import { expandSweep, type SweepSpec } from '../../../src-shared/contract/sweep.ts';
import type { ModelSpec } from '../../../src-shared/spec/model-spec.ts';
import { writeFileAtomic } from '../../projects/atomic-write.ts';
import { newRunId, readRunEvents } from './run-store.ts';
import { runTraining } from './train-run.ts';

export interface SweepRow {
  trial: number;
  params: Record<string, string | number | boolean>;
  runId: string;
  runDir: string;
  status: string;
  reason: string | null;
  /** The trial's best epoch by the sweep's metric. */
  best: { epoch: number; loss: number | null; val_loss: number | null; val_acc: number | null } | null;
}

export interface SweepResult { id: string; dir: string; metric: SweepSpec['metric']; rows: SweepRow[] }

/** Best first by the metric (higher for accuracy, lower for losses); trials without it last. */
export function rankSweep(rows: readonly SweepRow[], metric: SweepSpec['metric']): SweepRow[] {
  const value = (r: SweepRow) => r.best?.[metric] ?? null;
  return [...rows].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    if (x === null || y === null) return x === null ? (y === null ? 0 : 1) : -1;
    return metric === 'val_acc' ? y - x : x - y;
  });
}

/** The trial's best epoch by the metric, from its event log. */
export function bestEpoch(runDir: string, metric: SweepSpec['metric']): SweepRow['best'] {
  const epochs = readRunEvents(runDir).filter((e): e is Extract<TrainEvent, { type: 'epoch' }> => e.type === 'epoch' && e[metric] !== null);
  if (epochs.length === 0) return null;
  const best = epochs.reduce((a, b) => ((metric === 'val_acc' ? b[metric]! > a[metric]! : b[metric]! < a[metric]!) ? b : a));
  return { epoch: best.epoch, loss: best.loss, val_loss: best.val_loss, val_acc: best.val_acc };
}

/**
 * Runs a sweep's trials one after another, each a normal run in `runsDir` (so it shows in
 * the runs list and can be compared, resumed, exported), and keeps `<runsDir>/<sweepId>/
 * sweep.json` up to date after every trial — a stopped sweep keeps the table so far.
 * The trials are checked before the first one trains.
 */
export async function runSweep(
  args: { spec: ModelSpec; data: DataConfig; training: TrainingConfig; sweep: SweepSpec; runsDir: string },
  onEvent: (trial: number, e: TrainEvent) => void, signal: AbortSignal,
): Promise<SweepResult> {
  const trials = expandSweep(args.sweep, args.spec, args.training);
  const id = newRunId().replace(/^run-/, 'sweep-');
  const dir = path.join(args.runsDir, id);
  fs.mkdirSync(dir, { recursive: true });
  const result: SweepResult = { id, dir, metric: args.sweep.metric, rows: [] };
  const save = () => writeSweepTable(args.sweep, result);
  save();
  for (const [k, trial] of trials.entries()) {
    if (signal.aborted) break;
    const runId = `${id}-t${k + 1}`;
    const runDir = path.join(args.runsDir, runId);
    const end = await runTraining(
      { runId, runDir, spec: trial.spec, data: args.data, training: trial.training, sweep: { id, trial: k + 1, params: trial.params } },
      (e) => onEvent(k + 1, e), signal,
    );
    result.rows.push({ trial: k + 1, params: trial.params, runId, runDir, status: end.status, reason: end.reason ?? null, best: bestEpoch(runDir, args.sweep.metric) });
    save();
  }
  return { ...result, rows: rankSweep(result.rows, result.metric) };
}

/** `<sweep dir>/sweep.json`: the sweep and its trials so far, best first. */
export function writeSweepTable(sweep: SweepSpec, result: SweepResult): void {
  writeFileAtomic(path.join(result.dir, 'sweep.json'), `${JSON.stringify({ sweep, ...result, rows: rankSweep(result.rows, result.metric) }, null, 2)}\n`);
}
