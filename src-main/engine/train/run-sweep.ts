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
function bestEpoch(runDir: string, metric: SweepSpec['metric']): SweepRow['best'] {
  const epochs = readRunEvents(runDir).filter((e): e is Extract<TrainEvent, { type: 'epoch' }> => e.type === 'epoch' && e[metric] !== null);
  if (epochs.length === 0) return null;
  const best = epochs.reduce((a, b) => ((metric === 'val_acc' ? b[metric]! > a[metric]! : b[metric]! < a[metric]!) ? b : a));
  return { epoch: best.epoch, loss: best.loss, val_loss: best.val_loss, val_acc: best.val_acc };
}

/** One trial as it will run: its graph and settings, and the run it becomes. */
export interface PlannedTrial {
  runId: string;
  runDir: string;
  spec: ModelSpec;
  training: TrainingConfig;
  sweep: { id: string; trial: number; params: Record<string, string | number | boolean> };
}

/**
 * A sweep's trials as runs in `runsDir` (`<sweep-id>-t<k>`), checked before anything
 * trains (an Error naming the bad key or value), and its table folder made.
 */
export function planSweep(sweep: SweepSpec, spec: ModelSpec, training: TrainingConfig, runsDir: string): { result: SweepResult; trials: PlannedTrial[] } {
  const trials = expandSweep(sweep, spec, training);
  const id = newRunId().replace(/^run-/, 'sweep-');
  const result: SweepResult = { id, dir: path.join(runsDir, id), metric: sweep.metric, rows: [] };
  fs.mkdirSync(result.dir, { recursive: true });
  writeSweepTable(sweep, result);
  return {
    result,
    trials: trials.map((t, k) => ({
      runId: `${id}-t${k + 1}`, runDir: path.join(runsDir, `${id}-t${k + 1}`), spec: t.spec, training: t.training,
      sweep: { id, trial: k + 1, params: t.params },
    })),
  };
}

/**
 * Runs planned trials one after another through `train` (in this process for the CLI,
 * through the engine process for the window), each a normal run that shows in the runs
 * list and can be compared, resumed, exported, and rewrites `<sweep-id>/sweep.json` after
 * every trial — a stopped sweep keeps the table so far.
 */
export async function runSweepTrials(
  sweep: SweepSpec, planned: { result: SweepResult; trials: PlannedTrial[] },
  train: (trial: PlannedTrial) => Promise<{ status: string; reason: string | null }>, shouldStop: () => boolean,
): Promise<SweepResult> {
  const { result } = planned;
  for (const trial of planned.trials) {
    if (shouldStop()) break;
    const end = await train(trial);
    result.rows.push({
      trial: trial.sweep.trial, params: trial.sweep.params, runId: trial.runId, runDir: trial.runDir, ...end,
      best: bestEpoch(trial.runDir, sweep.metric),
    });
    writeSweepTable(sweep, result);
  }
  return { ...result, rows: rankSweep(result.rows, result.metric) };
}

/** `strata sweep`: plans the sweep and trains its trials in this process. */
export async function runSweep(
  args: { spec: ModelSpec; data: DataConfig; training: TrainingConfig; sweep: SweepSpec; runsDir: string },
  onEvent: (trial: number, e: TrainEvent) => void, signal: AbortSignal,
): Promise<SweepResult> {
  const planned = planSweep(args.sweep, args.spec, args.training, args.runsDir);
  return runSweepTrials(args.sweep, planned, async (t) => {
    const end = await runTraining({ runId: t.runId, runDir: t.runDir, spec: t.spec, data: args.data, training: t.training, sweep: t.sweep }, (e) => onEvent(t.sweep.trial, e), signal);
    return { status: end.status, reason: end.reason ?? null };
  }, () => signal.aborted);
}

/** `<sweep dir>/sweep.json`: the sweep and its trials so far, best first. */
export function writeSweepTable(sweep: SweepSpec, result: SweepResult): void {
  writeFileAtomic(path.join(result.dir, 'sweep.json'), `${JSON.stringify({ sweep, ...result, rows: rankSweep(result.rows, result.metric) }, null, 2)}\n`);
}
