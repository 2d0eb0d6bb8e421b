import type { ContractError } from '../../src-shared/contract/contract-error.ts';
import type { RunStatus } from '../../src-shared/contract/run-status.ts';
import { trainingProcessAlive } from '../engine/train/run-list.ts';
import type { EngineHost } from './engine-client.ts';

/** The end event both kinds of run stream share (classifier `run.train`, GAN `gan.train`). */
export interface RunEndEvent {
  type: 'end';
  status: RunStatus;
  runDir: string;
  reason?: string;
  error?: ContractError;
}

/** How long a stop request may take before the engine process is killed (a hung native call, say). */
export const STOP_GRACE_MS = 10_000;

/**
 * One run training on this host's engine, as a hub keeps it: every event so far (so a window
 * that subscribes late, or reconnects, gets the whole history), the windows following it,
 * and the stop state. Classifier and GAN runs differ only in their event type.
 */
export class LiveRun<E extends { type: string }> {
  /** Every event so far, as `keep` stored it. */
  readonly events: E[] = [];
  private readonly listeners = new Set<(e: E) => void>();
  ended = false;
  /** Set once a stop was asked: after the grace period the engine process is ended. */
  hardStop: NodeJS.Timeout | null = null;
  hardStopped = false;

  /** `keep` is what the history stores of an event (a GAN's sample grid without its PNG, say). */
  constructor(readonly runDir: string, private readonly keep: (e: E) => E = (e) => e) {}

  /** Records an event and hands it to every follower; nothing after the end event. */
  deliver(e: E): void {
    if (this.ended) return;
    if (e.type === 'end') {
      this.ended = true;
      if (this.hardStop) clearTimeout(this.hardStop);
    }
    this.events.push(this.keep(e));
    // A snapshot: a follower added by a listener (while this event is delivered) has just
    // replayed it from the history, and a Set's iteration would hand it to them again.
    for (const l of [...this.listeners]) l(e);
  }

  /** Replays the history (each event through `replay`), then follows until the end event or `signal`. */
  async follow(emit: (e: E) => void, signal: AbortSignal, replay: (e: E) => E = (e) => e): Promise<void> {
    for (const e of this.events) emit(replay(e));
    if (this.ended) return;
    await new Promise<void>((resolve) => {
      const listener = (e: E): void => {
        emit(e);
        if (e.type === 'end') done();
      };
      const done = (): void => { this.listeners.delete(listener); resolve(); };
      this.listeners.add(listener);
      signal.addEventListener('abort', done);
    });
  }

  /**
   * The end event of a run whose engine never sent one: it died (`error` absent or
   * DISCONNECTED), refused the run (its error), or was ended by a hard stop after a stop
   * request. `afterDeath` tells the user what is left of the run.
   */
  lostEnd(engine: EngineHost, error: Pick<ContractError, 'code' | 'message'> | undefined, graceMs: number, afterDeath: string): RunEndEvent {
    const runDir = this.runDir;
    if (this.hardStopped) {
      return { type: 'end', status: 'cancelled', runDir, reason: `stopped by the user; the engine did not stop within ${graceMs / 1000} s and was ended (the last checkpoint is kept)` };
    }
    const died = !error || error.code === 'DISCONNECTED';
    const reason = died ? `the engine process died mid-run (${engine.lastDeath ?? 'no reason given'}); ${afterDeath}` : error.message;
    return { type: 'end', status: 'failed', runDir, reason, error: { code: died ? 'ENGINE_DIED' : error.code, message: reason } };
  }
}

/** What both kinds of run record say about who trains them. */
interface TrainedRecord {
  runId: string;
  status: RunStatus | 'running';
  pid?: number | undefined;
}

/**
 * A record that says "running" under this host's engine pid while this host is not training
 * it (`live` absent or ended): the engine is alive but the run is not going on (its messages
 * were lost, or the pid came back to a later engine), so it is interrupted, not running.
 */
export function staleUnderEngine(record: TrainedRecord, enginePid: number | null, live: { ended: boolean } | undefined): boolean {
  return record.pid !== undefined && record.pid === enginePid && !(live && !live.ended);
}

/** Whether a record says another live process (`strata train`, `strata gan-train`) is training the run right now. */
export function trainingElsewhere(record: TrainedRecord, staleHere: boolean): boolean {
  return record.status === 'running' && trainingProcessAlive(record.pid) && !staleHere;
}

/**
 * Asks the engine to stop `runId`; if the run has not ended after `graceMs`, the engine
 * process is killed (`hardStopped` tells the run's end handler why it died) and a fresh
 * engine starts on the next request. Resolves with the engine's answer, or `true` when the
 * grace period is over first — a hung engine never answers.
 */
export function stopWithGrace(engine: EngineHost, runId: string, run: Pick<LiveRun<{ type: string }>, 'ended' | 'hardStop' | 'hardStopped'>, graceMs: number): Promise<boolean> {
  run.hardStop ??= setTimeout(() => {
    if (run.ended) return;
    run.hardStopped = true;
    engine.kill();
  }, graceMs).unref();
  const asked = engine.client().invoke('run.stop', { runId }).then((r) => r.stopping, () => true);
  const graceOver = new Promise<boolean>((resolve) => setTimeout(() => resolve(true), graceMs).unref());
  return Promise.race([asked, graceOver]);
}
