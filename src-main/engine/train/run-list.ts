import fs from 'node:fs';
import path from 'node:path';
import type { RunDetails, RunRecord, RunSummary } from '../../../src-shared/contract/run-record.ts';
import { StrataError } from '../../strata-error.ts';
import { readRunEvents, readRunRecord, RUN_FILES, writeRunRecord } from './run-store.ts';

/** A process id that still names a live process (signal 0 only checks). */
function alive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // alive, someone else's
  }
}

function summaryOf(runDir: string, record: RunRecord): RunSummary {
  const interrupted = record.status === 'running' && !alive(record.pid);
  return {
    runId: record.runId, runDir, name: record.name ?? null, note: record.note ?? null,
    status: interrupted ? 'interrupted' : record.status,
    reason: interrupted ? 'the training process is gone (killed, crashed or the machine stopped); resume it from its checkpoint' : record.reason,
    createdAt: record.createdAt, endedAt: record.endedAt, epochs: record.training.epochs, checkpointEpoch: record.checkpointEpoch,
    lastEpoch: record.lastEpoch, resumes: record.resumes ?? 0,
  };
}

/** Every run folder under `runsDir`, newest first; folders that are not runs are left out. */
export function listRuns(runsDir: string): RunSummary[] {
  if (!fs.existsSync(runsDir)) return [];
  return fs.readdirSync(runsDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(runsDir, e.name, RUN_FILES.record)))
    .flatMap((e): RunSummary[] => {
      const runDir = path.join(runsDir, e.name);
      try {
        return [summaryOf(runDir, readRunRecord(runDir))];
      } catch {
        return []; // a torn or foreign run.json: not listed rather than failing the list
      }
    })
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
}

/**
 * A run's settings, data, graph and per-epoch curves. A resumed run's log holds the
 * epochs it trained again after its checkpoint; the latest of each epoch counts.
 */
export function runDetails(runDir: string): RunDetails {
  const record = readRunRecord(runDir);
  const byEpoch = new Map<number, RunDetails['history'][number]>();
  for (const e of readRunEvents(runDir)) {
    if (e.type === 'epoch') byEpoch.set(e.epoch, { epoch: e.epoch, loss: e.loss, acc: e.acc, val_loss: e.val_loss, val_acc: e.val_acc, learningRate: e.learningRate ?? null });
  }
  return {
    ...summaryOf(runDir, record), training: record.training, data: record.data, spec: record.spec, backend: record.backend,
    datasetFingerprint: record.datasetFingerprint ?? null, history: [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch),
  };
}

/** Renames or annotates a run (an empty string clears it). */
export function updateRun(runDir: string, patch: { name?: string; note?: string }): RunSummary {
  const record = readRunRecord(runDir);
  const next: RunRecord = { ...record };
  if (patch.name !== undefined) next.name = patch.name.trim() || undefined;
  if (patch.note !== undefined) next.note = patch.note.trim() || undefined;
  writeRunRecord(runDir, next);
  return summaryOf(runDir, next);
}

/** Deletes a run folder — only a folder that is a run, and never one still training. */
export function deleteRun(runDir: string): void {
  const record = readRunRecord(runDir); // throws NOT_A_RUN for any other folder
  if (record.status === 'running' && alive(record.pid)) {
    throw new StrataError('RUN_IN_PROGRESS', `${runDir} is still training; stop it before deleting it.`);
  }
  fs.rmSync(runDir, { recursive: true, force: true });
}
