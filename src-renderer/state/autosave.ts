import type { Project } from '../../src-shared/contract/project.ts';
import { isDirty, type EditorState, type EditorStore } from './editor-store.ts';
import { toProjectFile } from './project-doc.ts';

/** How the autosaver reaches main (`project.backup` / `project.discardBackup`). */
export interface BackupWriter {
  write(projectPath: string | null, project: Project): Promise<unknown>;
  discard(projectPath: string | null): Promise<unknown>;
}

/** Quiet time after the last edit before unsaved edits are autosaved. */
export const AUTOSAVE_DELAY_MS = 1500;

type Watched = Pick<EditorState, 'projectName' | 'spec' | 'data' | 'training' | 'weights' | 'gan' | 'projectPath' | 'saved'>;
const WATCHED: ReadonlyArray<keyof Watched> = ['projectName', 'spec', 'data', 'training', 'weights', 'gan', 'projectPath', 'saved'];

/**
 * Keeps an autosave backup of the window's unsaved edits, so a crash (of the window, the
 * host or the machine) loses at most the last moments of work. A quiet period after the
 * last change writes the edits; when nothing is unsaved any more (saved, undone, or another
 * project opened after "discard") the backup it wrote is deleted. Selection, scans and
 * notices do not count as changes. A failed write is retried on the next change, never
 * shown as an error: the person's work is still in the window.
 */
export class Autosaver {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private last: Watched | null = null;
  /** The project path whose backup this window wrote last (undefined: none written). */
  private backedUp: string | null | undefined = undefined;
  private unsubscribe: (() => void) | null = null;
  private chain: Promise<void> = Promise.resolve();
  /**
   * Project paths whose backup holds edits from an earlier session that the person chose
   * to decide about later: this window never writes over or deletes those.
   */
  private readonly held = new Set<string | null>();

  constructor(private readonly editor: EditorStore, private readonly backups: BackupWriter, private readonly delayMs = AUTOSAVE_DELAY_MS) {}

  /** Keeps the backup of `projectPath` as it is (an offer answered with "later"). */
  hold(projectPath: string | null): void {
    this.held.add(projectPath);
  }

  /**
   * Takes over an existing backup of `projectPath` (its edits were just restored), so that
   * saving them, under any name, or undoing them deletes it like one this window wrote.
   */
  adopt(projectPath: string | null): void {
    this.backedUp = projectPath;
  }

  start(): void {
    if (this.unsubscribe) return;
    this.last = watched(this.editor.get());
    this.unsubscribe = this.editor.subscribe(() => this.changed());
    // Starting waits for the launch's backup question; edits made while main answered it
    // are already in the window and would otherwise wait for the next edit to be saved.
    if (isDirty(this.editor.get())) this.schedule();
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Runs a pending autosave now (tests; a host that is about to close). */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
      this.sync();
    }
    return this.chain;
  }

  private changed(): void {
    const now = watched(this.editor.get());
    if (this.last && WATCHED.every((k) => now[k] === this.last![k])) return;
    this.last = now;
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => { this.timer = null; this.sync(); }, this.delayMs);
  }

  /** Writes or deletes the backup to match the editor; one request at a time, in order. */
  private sync(): void {
    const state = this.editor.get();
    if (this.held.has(state.projectPath)) return;
    const previous = this.backedUp;
    const step = isDirty(state)
      ? async () => {
        await this.backups.write(state.projectPath, toProjectFile(this.editor.content()));
        this.backedUp = state.projectPath;
        // Saved under a new name and edited again: the old name's backup is stale.
        if (previous !== undefined && previous !== state.projectPath) await this.backups.discard(previous);
      }
      : async () => {
        if (previous === undefined) return;
        await this.backups.discard(previous);
        this.backedUp = undefined;
      };
    this.chain = this.chain.then(step).catch(() => { this.last = null; });
  }
}

function watched(s: EditorState): Watched {
  return { projectName: s.projectName, spec: s.spec, data: s.data, training: s.training, weights: s.weights, gan: s.gan, projectPath: s.projectPath, saved: s.saved };
}
