/**
 * Pause and resume for a run in progress. The training loop asks `whenRunning()` between
 * batches; while paused that promise waits (the engine stays idle, the model and the data
 * stay loaded), and a stop request ends the wait so a paused run can still be stopped.
 */
export class RunControl {
  private paused = false;
  private wake: (() => void) | null = null;

  constructor(private readonly signal: AbortSignal) {
    signal.addEventListener('abort', () => this.release());
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** Returns whether the state changed. */
  setPaused(paused: boolean): boolean {
    if (paused === this.paused || (paused && this.signal.aborted)) return false;
    this.paused = paused;
    if (!paused) this.release();
    return true;
  }

  whenRunning(): Promise<void> {
    if (!this.paused || this.signal.aborted) return Promise.resolve();
    return new Promise((resolve) => { this.wake = resolve; });
  }

  private release(): void {
    this.paused = false;
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
