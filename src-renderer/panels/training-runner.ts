import type { DataConfig } from '../../src-shared/contract/data-config.ts';
import type { TrainingConfig } from '../../src-shared/contract/project.ts';
import type { ModelSpec } from '../../src-shared/spec/model-spec.ts';
import { errorMessage } from '../client/client-context.tsx';
import type { StrataClient } from '../client/strata-client.ts';
import { ExternalStore } from '../state/external-store.ts';
import { IDLE_SESSION, isActive, reduceTrainEvent, startingSession, type TrainingSession } from '../state/training-session.ts';

/**
 * Starts and stops training runs through the contract and folds the run's event stream
 * into a session the training panel renders. One run at a time; the last run's session
 * stays until the next Train, so its checkpoint can be explained and exported.
 */
export class TrainingRunner {
  readonly session = new ExternalStore<TrainingSession>(IDLE_SESSION);
  private unsubscribe: (() => void) | null = null;
  private stopRequested = false;

  constructor(private readonly client: StrataClient) {}

  async start(spec: ModelSpec, data: DataConfig, training: TrainingConfig, runsDir?: string, initialWeights?: string | null): Promise<void> {
    await this.launch(startingSession(), async () => (await this.client.invoke('train.start', {
      spec, data, training, ...(runsDir ? { runsDir } : {}), ...(initialWeights ? { initialWeights } : {}),
    })).runId);
  }

  /**
   * Continues a stopped, failed or interrupted run from its checkpoint and follows it here:
   * the curves start with the epochs it trained before, so they continue rather than restart.
   */
  async resume(runId: string): Promise<void> {
    let before = startingSession();
    try {
      const [details] = await this.client.invoke('runs.details', { runIds: [runId] });
      if (details) {
        before = {
          ...before,
          checkpointEpoch: details.checkpointEpoch,
          epochs: details.history.filter((h) => h.epoch <= details.checkpointEpoch)
            .map((h) => ({ x: h.epoch, loss: h.loss, acc: h.acc, val_loss: h.val_loss, val_acc: h.val_acc, seconds: 0 })),
        };
      }
    } catch {
      // Without its history the resumed run still trains; its curves start at the checkpoint.
    }
    await this.launch(before, async () => (await this.client.invoke('train.resume', { runId })).runId);
  }

  /** Starts a run with `begin` (which answers its id) and folds its events into the session. */
  private async launch(initial: TrainingSession, begin: () => Promise<string>): Promise<void> {
    if (isActive(this.session.get())) return;
    this.unsubscribe?.();
    this.stopRequested = false;
    this.session.set(initial);
    let runId: string;
    try {
      runId = await begin();
    } catch (err) {
      this.session.set({ ...initial, phase: 'ended', error: errorMessage(err) });
      return;
    }
    this.session.set((s) => ({ ...s, runId, phase: this.stopRequested ? 'stopping' : 'running' }));
    this.unsubscribe = this.client.subscribe('train.events', { runId }, {
      onEvent: (event) => this.session.set((s) => reduceTrainEvent(s, event)),
      onEnd: (err) => {
        this.unsubscribe = null;
        // The stream ends after its `end` event; anything else means we lost the run's feed.
        this.session.set((s) => (s.end ? s : { ...s, phase: 'ended', error: err ? errorMessage(err) : 'The training stream ended without saying how the run finished.' }));
      },
    });
    // Stop was pressed while the run was still starting: honour it now that we have an id.
    if (this.stopRequested) await this.stop();
  }

  async stop(): Promise<void> {
    const s = this.session.get();
    if (!isActive(s)) return;
    this.stopRequested = true;
    this.session.set((cur) => ({ ...cur, phase: 'stopping' }));
    if (!s.runId) return; // start() calls stop again once the id arrives
    try {
      await this.client.invoke('train.stop', { runId: s.runId });
    } catch (err) {
      this.session.set((cur) => ({ ...cur, error: `Stop failed: ${errorMessage(err)}` }));
    }
  }

  /** Pauses the run between two batches, or resumes it; the run's own event says when it took effect. */
  async setPaused(paused: boolean): Promise<void> {
    const s = this.session.get();
    if (!s.runId || (s.phase !== 'running' && s.phase !== 'paused')) return;
    try {
      await this.client.invoke('train.pause', { runId: s.runId, paused });
    } catch (err) {
      this.session.set((cur) => ({ ...cur, error: `${paused ? 'Pause' : 'Resume'} failed: ${errorMessage(err)}` }));
    }
  }

  dispose(): void {
    this.unsubscribe?.();
  }
}
