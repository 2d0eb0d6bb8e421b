import fs from 'node:fs';
import path from 'node:path';
import type { ImageDataConfig } from '../../src-shared/contract/data-config.ts';
import type { GanEvent, GanRunRecord, GanRunSummary, GanSpec, GanTrainingConfig } from '../../src-shared/contract/gan.ts';
import { appendGanEvent, GAN_RUN_FILES, isGanRun, readGanEvents, readGanRunRecord, writeGanRunRecord } from '../engine/gan/gan-run-store.ts';
import { listGanRuns } from '../engine/gan/gan-run-list.ts';
import { newRunId } from '../engine/train/run-store.ts';
import { StrataError } from '../strata-error.ts';
import type { EngineHost } from './engine-client.ts';
import { LiveRun, staleUnderEngine, STOP_GRACE_MS, stopWithGrace, trainingElsewhere, type RunEndEvent } from './live-run.ts';

/** How often a run training in another process is re-read while a window follows it. */
const FOLLOW_POLL_MS = 500;

/** A GAN run training on this host: its history keeps a sample grid's name, not its PNG (it is a file in the run, read back on replay). */
class LiveGanRun extends LiveRun<GanEvent> {
  constructor(runDir: string, readonly createdAt: string, readonly epochs: number) {
    super(runDir, (e) => (e.type === 'samples' ? { ...e, png: '' } : e));
  }
}

/**
 * Main's view of GAN runs, as RunHub is for classifier runs: starts them on the engine,
 * keeps every event so a window that subscribes late gets the whole history, fans events
 * out to every subscriber, and ends a run as `failed` with why if the engine dies under it.
 * Stopping goes through the engine's run.stop, with the same grace period before a hard stop.
 */
export class GanHub {
  private readonly runs = new Map<string, LiveGanRun>();
  /** The host's runs folder and every one a window started a GAN run in or listed. */
  private readonly runsDirs: Set<string>;

  constructor(private readonly engine: EngineHost, private readonly defaultRunsDir: string, private readonly stopGraceMs = STOP_GRACE_MS) {
    this.runsDirs = new Set([path.resolve(defaultRunsDir)]);
  }

  start(args: { gan: GanSpec; data: ImageDataConfig; training: GanTrainingConfig; runsDir?: string }): { runId: string; runDir: string } {
    const runId = newRunId();
    const runsDir = path.resolve(args.runsDir ?? this.defaultRunsDir);
    this.runsDirs.add(runsDir);
    const runDir = path.join(runsDir, runId);
    fs.mkdirSync(runDir, { recursive: true });
    const run = new LiveGanRun(runDir, new Date().toISOString(), args.training.epochs);
    this.runs.set(runId, run);
    const data: ImageDataConfig = { ...args.data, path: path.resolve(args.data.path) };
    this.engine.client().subscribe('gan.train', { runId, runDir, gan: args.gan, data, training: args.training }, {
      onEvent: (e) => { this.engine.healthy(); run.deliver(e); },
      onEnd: (error) => {
        if (run.ended) return;
        // The engine never sent the run's end: it died, refused the run, or was ended by a hard stop.
        const end = run.lostEnd(this.engine, error, this.stopGraceMs, 'the last epoch\'s checkpoint is kept');
        markEnded(runDir, end);
        run.deliver(end);
      },
    });
    return { runId, runDir };
  }

  /**
   * Asks the engine to stop the run after its current step; if it has not ended after the
   * grace period, the engine process is killed (the run ends as cancelled, its last
   * checkpoint kept) and a fresh engine starts on the next request.
   */
  async stop(runId: string): Promise<boolean> {
    const run = this.runs.get(runId);
    if (!run || run.ended) return false;
    return stopWithGrace(this.engine, runId, run, this.stopGraceMs);
  }

  /**
   * Every GAN run in the known runs folders (with `runsDir` added to them), newest first. A
   * record still "running" that no run here is training is interrupted (its process is
   * gone); a run of this session that ended before it wrote gan-run.json (its images or its
   * graphs were refused) is listed from its events, so the window can show why.
   */
  list(runsDir?: string): GanRunSummary[] {
    if (runsDir) this.runsDirs.add(path.resolve(runsDir));
    const onDisk = [...this.runsDirs].flatMap((dir) => listGanRuns(dir, this.staleHere));
    const seen = new Set(onDisk.map((r) => r.runId));
    const unrecorded = [...this.runs].filter(([runId]) => !seen.has(runId)).map(([runId, run]): GanRunSummary => {
      const end = run.events.find((e) => e.type === 'end');
      return {
        kind: 'gan', runId, runDir: run.runDir, createdAt: run.createdAt, status: end?.status ?? 'running', reason: end?.reason ?? null,
        epochs: run.epochs, checkpointEpoch: 0, lastEpoch: null,
      };
    });
    return [...onDisk, ...unrecorded].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
  }

  /** See `staleUnderEngine`: a run listed as running here that this host's engine lost is interrupted. */
  private readonly staleHere = (record: GanRunRecord): boolean => staleUnderEngine(record, this.engine.pid, this.runs.get(record.runId));

  /** Whether the run's record says another live process is training it right now. */
  private trainingElsewhere(runDir: string): boolean {
    try {
      const record = readGanRunRecord(runDir);
      return trainingElsewhere(record, this.staleHere(record));
    } catch {
      return false;
    }
  }

  /** The folder of a GAN run started here or found in a known runs folder; an id is a plain name, never a path. */
  runDir(runId: string): string {
    const live = this.runs.get(runId);
    if (live) return live.runDir;
    const found = /^\w[\w.-]*$/.test(runId)
      ? [...this.runsDirs].map((dir) => path.join(dir, runId)).find((dir) => isGanRun(dir))
      : undefined;
    if (!found) throw new StrataError('NO_SUCH_RUN', `There is no GAN run "${runId}" in ${[...this.runsDirs].join(' or ')}.`);
    return found;
  }

  /** Writes `count` PNGs made by the run's generator (its latest checkpoint) to the folder `out`. */
  generate(runId: string, { count, out, seed }: { count: number; out: string; seed: number }): Promise<{ files: string[]; epoch: number }> {
    return this.engine.client().invoke('gan.generate', { runDir: this.runDir(runId), count, out: path.resolve(out), seed });
  }

  /**
   * Replays the run's events so far (a finished run's from its events.jsonl), then follows it
   * until its end event. A run training in another process (`strata gan-train`) is followed
   * through its log, polled, until its end event or until that process is gone.
   */
  async follow(runId: string, emit: (e: GanEvent) => void, signal: AbortSignal): Promise<void> {
    const live = this.runs.get(runId);
    if (!live) {
      const runDir = this.runDir(runId);
      let sent = 0;
      const emitNew = (): boolean => {
        const events = readGanEvents(runDir);
        for (const e of events.slice(sent)) emit(withSamplePng(runDir, e));
        sent = events.length;
        return events.some((e) => e.type === 'end');
      };
      if (emitNew()) return;
      while (!signal.aborted && this.trainingElsewhere(runDir)) {
        await new Promise((resolve) => setTimeout(resolve, FOLLOW_POLL_MS));
        if (emitNew()) return;
      }
      emitNew(); // the record says how it ended a moment before the end event is logged
      return;
    }
    await live.follow(emit, signal, (e) => withSamplePng(live.runDir, e));
  }
}

/** A replayed sample grid gets its PNG back from the run's samples/ folder (the log and the history keep only its name). */
function withSamplePng(runDir: string, e: GanEvent): GanEvent {
  if (e.type !== 'samples' || e.png !== '') return e;
  // The log is a file in a folder anyone could have edited: read only a grid inside samples/.
  const samples = path.join(runDir, GAN_RUN_FILES.samples);
  const file = path.resolve(runDir, e.file);
  if (!file.startsWith(samples + path.sep)) return e;
  try {
    return { ...e, png: `data:image/png;base64,${fs.readFileSync(file).toString('base64')}` };
  } catch {
    return e; // the grid file was deleted: the frame is shown as missing
  }
}

/** Logs an end the engine could not write itself and marks gan-run.json with it, as RunHub does for run.json. */
function markEnded(runDir: string, end: RunEndEvent): void {
  try {
    appendGanEvent(runDir, end);
    if (!fs.existsSync(path.join(runDir, GAN_RUN_FILES.record))) return;
    const record = readGanRunRecord(runDir);
    writeGanRunRecord(runDir, { ...record, status: end.status, reason: end.reason ?? null, endedAt: new Date().toISOString() });
  } catch {
    // The run folder is gone or unwritable; the window still gets the end event.
  }
}
