import path from 'node:path';
import type { DataConfig } from '../../src-shared/contract/data-config.ts';
import type { TrainingConfig } from '../../src-shared/contract/project.ts';
import type { SweepSpec, SweepStatus } from '../../src-shared/contract/sweep.ts';
import type { ModelSpec } from '../../src-shared/spec/model-spec.ts';
import { planSweep, rankSweep, runSweepTrials, type PlannedTrial, type SweepResult } from '../engine/train/run-sweep.ts';
import { StrataError } from '../strata-error.ts';
import type { RunHub } from './run-hub.ts';

interface LiveSweep { result: SweepResult; trials: number; current: string | null; done: boolean; stopped: boolean }

/**
 * Sweeps started from the window: the trials run one after another through the RunHub
 * (so each is an ordinary run the Runs tab lists, compares and can resume), and the table
 * in `<runs>/<sweep-id>/sweep.json` is rewritten after each — as `strata sweep` does.
 */
export class SweepHub {
  private readonly sweeps = new Map<string, LiveSweep>();

  constructor(private readonly runs: RunHub, private readonly runsDir: string) {}

  start(args: { spec: ModelSpec; data: DataConfig; training: TrainingConfig; sweep: SweepSpec; runsDir?: string }): { sweepId: string; trials: number } {
    let planned;
    try {
      planned = planSweep(args.sweep, args.spec, args.training, path.resolve(args.runsDir ?? this.runsDir));
    } catch (err) {
      throw new StrataError('BAD_SWEEP', err instanceof Error ? err.message : String(err));
    }
    const live: LiveSweep = { result: planned.result, trials: planned.trials.length, current: null, done: false, stopped: false };
    this.sweeps.set(planned.result.id, live);
    // Each trial goes through the RunHub and the engine process, and is followed to its end.
    const train = async (t: PlannedTrial) => {
      live.current = t.runId;
      this.runs.startTrial(t.runId, t.runDir, { spec: t.spec, data: args.data, training: t.training, sweep: t.sweep });
      let end: { status: string; reason: string | null } = { status: 'failed', reason: 'the trial ended without a word' };
      await this.runs.follow(t.runId, (e) => { if (e.type === 'end') end = { status: e.status, reason: e.reason ?? null }; }, new AbortController().signal);
      return end;
    };
    void runSweepTrials(args.sweep, planned, train, () => live.stopped).finally(() => {
      live.current = null;
      live.done = true;
    });
    return { sweepId: planned.result.id, trials: planned.trials.length };
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
