import path from 'node:path';
import type { DataConfig } from '../../src-shared/contract/data-config.ts';
import type { TrainingConfig } from '../../src-shared/contract/project.ts';
import { expandSweep, type SweepSpec, type SweepStatus } from '../../src-shared/contract/sweep.ts';
import type { ModelSpec } from '../../src-shared/spec/model-spec.ts';
import { newRunId } from '../engine/train/run-store.ts';
import { bestEpoch, rankSweep, writeSweepTable, type SweepResult } from '../engine/train/run-sweep.ts';
import { StrataError } from '../strata-error.ts';
import type { RunHub } from './run-hub.ts';

interface LiveSweep { spec: SweepSpec; result: SweepResult; trials: number; current: string | null; done: boolean; stopped: boolean }

/**
 * Sweeps started from the window: the trials run one after another through the RunHub
 * (so each is an ordinary run the Runs tab lists, compares and can resume), and the table
 * in `<runs>/<sweep-id>/sweep.json` is rewritten after each — as `strata sweep` does.
 */
export class SweepHub {
  private readonly sweeps = new Map<string, LiveSweep>();

  constructor(private readonly runs: RunHub, private readonly runsDir: string) {}

  start(args: { spec: ModelSpec; data: DataConfig; training: TrainingConfig; sweep: SweepSpec; runsDir?: string }): { sweepId: string; trials: number } {
    const runsDir = path.resolve(args.runsDir ?? this.runsDir);
    let trials;
    try {
      trials = expandSweep(args.sweep, args.spec, args.training);
    } catch (err) {
      throw new StrataError('BAD_SWEEP', err instanceof Error ? err.message : String(err));
    }
    const id = newRunId().replace(/^run-/, 'sweep-');
    const result: SweepResult = { id, dir: path.join(runsDir, id), metric: args.sweep.metric, rows: [] };
    const live: LiveSweep = { spec: args.sweep, result, trials: trials.length, current: null, done: false, stopped: false };
    this.sweeps.set(id, live);
    writeSweepTable(args.sweep, result);
    const next = (k: number): void => {
      if (k >= trials.length || live.stopped) {
        live.current = null;
        live.done = true;
        return;
      }
      const trial = trials[k]!;
      const runId = `${id}-t${k + 1}`;
      const runDir = path.join(runsDir, runId);
      live.current = runId;
      this.runs.startTrial(runId, runDir, { spec: trial.spec, data: args.data, training: trial.training, sweep: { id, trial: k + 1, params: trial.params } });
      let end: { status: string; reason: string | null } = { status: 'failed', reason: 'the trial ended without a word' };
      void this.runs.follow(runId, (e) => { if (e.type === 'end') end = { status: e.status, reason: e.reason ?? null }; }, new AbortController().signal)
        .finally(() => {
          result.rows.push({ trial: k + 1, params: trial.params, runId, runDir, ...end, best: bestEpoch(runDir, args.sweep.metric) });
          writeSweepTable(args.sweep, result);
          next(k + 1);
        });
    };
    next(0);
    return { sweepId: id, trials: trials.length };
  }

  status(sweepId: string): SweepStatus {
    const live = this.get(sweepId);
    return { id: sweepId, metric: live.result.metric, trials: live.trials, rows: rankSweep(live.result.rows, live.result.metric), current: live.current, done: live.done };
  }

  async stop(sweepId: string): Promise<boolean> {
    const live = this.get(sweepId);
    if (live.done) return false;
    live.stopped = true;
    if (live.current) await this.runs.stop(live.current);
    return true;
  }

  private get(sweepId: string): LiveSweep {
    const live = this.sweeps.get(sweepId);
    if (!live) throw new StrataError('NO_SUCH_SWEEP', `There is no sweep "${sweepId}" in this session.`);
    return live;
  }
}
