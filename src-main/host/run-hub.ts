import fs from 'node:fs';
import path from 'node:path';
import type { DataConfig } from '../../src-shared/contract/data-config.ts';
import type { TrainingConfig } from '../../src-shared/contract/project.ts';
import type { TrainEvent } from '../../src-shared/contract/streams.ts';
import type { ModelSpec } from '../../src-shared/spec/model-spec.ts';
import { appendRunEvent, newRunId, readRunEvents, readRunRecord, RUN_FILES, writeRunRecord } from '../engine/train/run-store.ts';
import { StrataError } from '../strata-error.ts';
import type { EngineHost } from './engine-client.ts';

interface LiveRun {
  runDir: string;
  events: TrainEvent[];
  listeners: Set<(e: TrainEvent) => void>;
  ended: boolean;
}

/**
 * Main's view of training runs: starts them on the engine, keeps every event so a window
 * that subscribes late (or reconnects) gets the whole history, and fans events out to every
 * subscriber. If the engine process dies mid-run, the run is ended as `failed` with why.
 */
export class RunHub {
  private readonly runs = new Map<string, LiveRun>();

  constructor(private readonly engine: EngineHost, private readonly defaultRunsDir: string) {}

  start(args: { spec: ModelSpec; data: DataConfig; training: TrainingConfig; runsDir?: string }): { runId: string; runDir: string } {
    const runId = newRunId();
    const runDir = path.join(path.resolve(args.runsDir ?? this.defaultRunsDir), runId);
    fs.mkdirSync(runDir, { recursive: true });
    const run: LiveRun = { runDir, events: [], listeners: new Set(), ended: false };
    this.runs.set(runId, run);
    const deliver = (e: TrainEvent): void => {
      if (run.ended) return;
      if (e.type === 'end') run.ended = true;
      run.events.push(e);
      for (const l of run.listeners) l(e);
    };
    this.engine.client().subscribe('run.train', { runId, runDir, ...args }, {
      onEvent: (e) => { this.engine.healthy(); deliver(e); },
      onEnd: (error) => {
        if (run.ended) return;
        // The engine never sent the run's end: it died or refused the run.
        const reason = error ? error.message : 'the engine stopped without finishing the run';
        const end: TrainEvent = { type: 'end', status: 'failed', runDir, reason, error: { code: error?.code ?? 'ENGINE_DIED', message: reason } };
        markFailed(runDir, end);
        deliver(end);
      },
    });
    return { runId, runDir };
  }

  async stop(runId: string): Promise<boolean> {
    const run = this.runs.get(runId);
    if (!run || run.ended) return false;
    return (await this.engine.client().invoke('run.stop', { runId })).stopping;
  }

  /** The run folder of a run started here or found in the runs folder. */
  runDir(runId: string): string {
    const live = this.runs.get(runId);
    if (live) return live.runDir;
    const dir = path.join(path.resolve(this.defaultRunsDir), runId);
    if (!/^\w[\w.-]*$/.test(runId) || !fs.existsSync(path.join(dir, RUN_FILES.record))) { // a name, never a path
      throw new StrataError('NO_SUCH_RUN', `There is no run "${runId}" in ${this.defaultRunsDir}.`);
    }
    return dir;
  }

  /** Replays the run's events so far, then follows it until its end event. */
  async follow(runId: string, emit: (e: TrainEvent) => void, signal: AbortSignal): Promise<void> {
    const live = this.runs.get(runId);
    if (!live) {
      for (const e of readRunEvents(this.runDir(runId))) emit(e); // a finished run from disk
      return;
    }
    for (const e of live.events) emit(e);
    if (live.ended) return;
    await new Promise<void>((resolve) => {
      const listener = (e: TrainEvent): void => {
        emit(e);
        if (e.type === 'end') done();
      };
      const done = (): void => { live.listeners.delete(listener); resolve(); };
      live.listeners.add(listener);
      signal.addEventListener('abort', done);
    });
  }
}

function markFailed(runDir: string, end: TrainEvent): void {
  try {
    appendRunEvent(runDir, end);
    const record = readRunRecord(runDir);
    writeRunRecord(runDir, { ...record, status: 'failed', reason: end.type === 'end' ? end.reason ?? null : null, endedAt: new Date().toISOString() });
  } catch {
    // The run never got as far as writing its record; the event log says what happened.
  }
}
