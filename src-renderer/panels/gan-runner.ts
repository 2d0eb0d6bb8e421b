import type { ImageDataConfig } from '../../src-shared/contract/data-config.ts';
import type { GanSpec, GanTrainingConfig } from '../../src-shared/contract/gan.ts';
import { errorMessage } from '../client/client-context.tsx';
import type { StrataClient } from '../client/strata-client.ts';
import { ExternalStore } from '../state/external-store.ts';
import { IDLE_GAN_SESSION, isGanActive, reduceGanEvent, type GanSession } from '../state/gan-session.ts';

/**
 * Starts and stops GAN runs through the contract and folds a run's `gan.events` stream into
 * the session the GAN panel renders. The same stream replays a past run (its history, then
 * its end), so opening a run from the list is following it. One run at a time.
 */
export class GanRunner {
  readonly session = new ExternalStore<GanSession>(IDLE_GAN_SESSION);
  private unsubscribe: (() => void) | null = null;
  private stopRequested = false;

  constructor(private readonly client: StrataClient) {}

  async start(gan: GanSpec, data: ImageDataConfig, training: GanTrainingConfig, runsDir?: string): Promise<void> {
    if (isGanActive(this.session.get())) return;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.stopRequested = false;
    this.session.set({ ...IDLE_GAN_SESSION, phase: 'starting' });
    let runId: string;
    try {
      runId = (await this.client.invoke('gan.start', { gan, data, training, ...(runsDir ? { runsDir } : {}) })).runId;
    } catch (err) {
      this.session.set({ ...IDLE_GAN_SESSION, phase: 'ended', error: errorMessage(err) });
      return;
    }
    this.session.set((s) => ({ ...s, runId, phase: this.stopRequested ? 'stopping' : 'running' }));
    this.follow(runId);
    // Stop was pressed while the run was still starting: honour it now that there is an id.
    if (this.stopRequested) await this.stop();
  }

  /** Shows a past run (or one still running elsewhere): its curves and timeline, replayed from its events. */
  open(runId: string): void {
    if (isGanActive(this.session.get())) return;
    this.unsubscribe?.();
    this.session.set({ ...IDLE_GAN_SESSION, phase: 'running', runId, opened: true });
    this.follow(runId);
  }

  private follow(runId: string): void {
    this.unsubscribe = this.client.subscribe('gan.events', { runId }, {
      onEvent: (event) => this.session.set((s) => (s.runId === runId ? reduceGanEvent(s, event) : s)),
      onEnd: (err) => {
        this.unsubscribe = null;
        // The stream ends after its `end` event; anything else means the run's feed was lost.
        this.session.set((s) => (s.runId !== runId || s.end ? s : { ...s, phase: 'ended', error: err ? errorMessage(err) : 'The GAN stream ended without saying how the run finished.' }));
      },
    });
  }

  async stop(): Promise<void> {
    const s = this.session.get();
    if (!isGanActive(s)) return;
    this.stopRequested = true;
    this.session.set((cur) => ({ ...cur, phase: 'stopping' }));
    if (!s.runId) return; // start() calls stop again once the id arrives
    try {
      await this.client.invoke('gan.stop', { runId: s.runId });
    } catch (err) {
      this.session.set((cur) => ({ ...cur, error: `Stop failed: ${errorMessage(err)}` }));
    }
  }

  dispose(): void {
    this.unsubscribe?.();
  }
}
