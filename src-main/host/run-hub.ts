import fs from 'node:fs';
import path from 'node:path';
import type { DataConfig } from '../../src-shared/contract/data-config.ts';
import type { TrainingConfig } from '../../src-shared/contract/project.ts';
import type { RunDetails, RunRecord, RunSummary } from '../../src-shared/contract/run-record.ts';
import type { TrainEvent } from '../../src-shared/contract/streams.ts';
import type { ModelSpec } from '../../src-shared/spec/model-spec.ts';
import { appendRunEvent, newRunId, readRunEvents, readRunRecord, RUN_FILES, writeRunRecord } from '../engine/train/run-store.ts';
import { deleteRun, listRuns, runDetails } from '../engine/train/run-list.ts';
import { StrataError } from '../strata-error.ts';
import type { EngineHost } from './engine-client.ts';
import { LiveRun, staleUnderEngine, STOP_GRACE_MS, stopWithGrace, trainingElsewhere, type RunEndEvent } from './live-run.ts';

/**
 * Main's view of training runs: starts them on the engine, keeps every event so a window
 * that subscribes late (or reconnects) gets the whole history, and fans events out to every
 * subscriber. If the engine process dies mid-run, the run is ended as `failed` with why.
 */
export class RunHub {
  private readonly runs = new Map<string, LiveRun<TrainEvent>>();

  /** The runs folders this session knows: the host's own, and each project's `runs/` it trained in or listed. */
  private readonly runsDirs: Set<string>;

  constructor(private readonly engine: EngineHost, private readonly defaultRunsDir: string, private readonly stopGraceMs = STOP_GRACE_MS) {
    this.runsDirs = new Set([path.resolve(defaultRunsDir)]);
  }

  start(args: { spec: ModelSpec; data: DataConfig; training: TrainingConfig; runsDir?: string; initialWeights?: string }): { runId: string; runDir: string } {
    const runId = newRunId();
    const runsDir = path.resolve(args.runsDir ?? this.defaultRunsDir);
    this.runsDirs.add(runsDir);
    const runDir = path.join(runsDir, runId);
    fs.mkdirSync(runDir, { recursive: true });
    this.train(runId, runDir, { spec: args.spec, data: args.data, training: args.training, ...(args.initialWeights ? { initialWeights: path.resolve(args.initialWeights) } : {}) });
    return { runId, runDir };
  }

  /** Continues a stopped, failed or interrupted run from its checkpoint, in its own folder. */
  resume(runId: string): { runId: string; runDir: string } {
    const live = this.runs.get(runId);
    if (live && !live.ended) throw new StrataError('RUN_IN_PROGRESS', `Run "${runId}" is still training.`);
    const runDir = this.runDir(runId);
    const record = readRunRecord(runDir);
    if (trainingElsewhere(record, this.staleHere(record))) {
      throw new StrataError('RUN_IN_PROGRESS', `Run "${runId}" is training in another Strata process (pid ${record.pid}); stop it there first.`);
    }
    this.train(runId, runDir, { spec: record.spec, data: record.data, training: record.training, resume: true });
    return { runId, runDir };
  }

  /** Starts a run under a given id and folder (a sweep's trial). */
  startTrial(runId: string, runDir: string, args: { spec: ModelSpec; data: DataConfig; training: TrainingConfig; sweep: RunRecord['sweep'] }): void {
    fs.mkdirSync(runDir, { recursive: true });
    this.runsDirs.add(path.dirname(runDir));
    this.train(runId, runDir, args);
  }

  private train(runId: string, runDir: string, args: { spec: ModelSpec; data: DataConfig; training: TrainingConfig; resume?: boolean; sweep?: RunRecord['sweep']; initialWeights?: string }): void {
    const run = new LiveRun<TrainEvent>(runDir);
    this.runs.set(runId, run);
    this.engine.client().subscribe('run.train', { runId, runDir, ...args }, {
      onEvent: (e) => { this.engine.healthy(); run.deliver(e); },
      onEnd: (error) => {
        if (run.ended) return;
        // The engine never sent the run's end: it died, refused the run, or was ended by a hard stop.
        const end = run.lostEnd(this.engine, error, this.stopGraceMs, 'resume the run from its last checkpoint');
        markEnded(runDir, end);
        run.deliver(end);
      },
    });
  }

  async pause(runId: string, paused: boolean): Promise<boolean> {
    const run = this.runs.get(runId);
    if (!run || run.ended) throw new StrataError('NO_SUCH_RUN', `Run "${runId}" is not training; only a run in progress can be paused or resumed.`);
    return (await this.engine.client().invoke('run.pause', { runId, paused })).paused;
  }

  /**
   * Asks the engine to stop the run after its current batch; if the run has not ended
   * after the grace period, the engine process is killed (the run ends as cancelled, its
   * last checkpoint kept) and a fresh engine starts on the next request.
   */
  async stop(runId: string): Promise<boolean> {
    const run = this.runs.get(runId);
    if (!run || run.ended) return false;
    return stopWithGrace(this.engine, runId, run, this.stopGraceMs);
  }

  /**
   * Every run in the known runs folders (with `runsDir`, a project's, added to them), newest
   * first. A run training here is never shown as interrupted.
   */
  list(runsDir?: string): RunSummary[] {
    if (runsDir) this.runsDirs.add(path.resolve(runsDir));
    return [...this.runsDirs].flatMap((dir) => listRuns(dir, this.staleHere))
      .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0))
      .map((r) => {
        const live = this.runs.get(r.runId);
        return live && !live.ended && r.status === 'interrupted' ? { ...r, status: 'running', reason: null } : r;
      });
  }

  details(runIds: string[]): RunDetails[] {
    return runIds.map((id) => runDetails(this.runDir(id), this.staleHere));
  }

  /** See `staleUnderEngine`: a run listed as running here that this host's engine lost is interrupted. */
  private readonly staleHere = (record: RunRecord): boolean => staleUnderEngine(record, this.engine.pid, this.runs.get(record.runId));

  delete(runId: string): { deleted: true } {
    const live = this.runs.get(runId);
    if (live && !live.ended) throw new StrataError('RUN_IN_PROGRESS', `Run "${runId}" is still training; stop it before deleting it.`);
    deleteRun(this.runDir(runId), this.staleHere);
    this.runs.delete(runId);
    return { deleted: true };
  }

  /** The run folder of a run started here or found in a known runs folder. */
  runDir(runId: string): string {
    const live = this.runs.get(runId);
    if (live) return live.runDir;
    const found = /^\w[\w.-]*$/.test(runId) // a name, never a path
      ? [...this.runsDirs].map((dir) => path.join(dir, runId)).find((dir) => fs.existsSync(path.join(dir, RUN_FILES.record)))
      : undefined;
    if (!found) throw new StrataError('NO_SUCH_RUN', `There is no run "${runId}" in ${[...this.runsDirs].join(' or ')}.`);
    return found;
  }

  /** Replays the run's events so far, then follows it until its end event. */
  async follow(runId: string, emit: (e: TrainEvent) => void, signal: AbortSignal): Promise<void> {
    const live = this.runs.get(runId);
    if (!live) {
      for (const e of readRunEvents(this.runDir(runId))) emit(e); // a finished run from disk
      return;
    }
    await live.follow(emit, signal);
  }
}

function markEnded(runDir: string, end: RunEndEvent): void {
  try {
    appendRunEvent(runDir, end);
    const record = readRunRecord(runDir);
    writeRunRecord(runDir, { ...record, status: end.status, reason: end.reason ?? null, endedAt: new Date().toISOString() });
  } catch {
    // The run never got as far as writing its record; the event log says what happened.
  }
}
