import fs from 'node:fs';
import path from 'node:path';
import type { RunDetails, RunRecord, RunSummary } from '../../../src-shared/contract/run-record.ts';
import { StrataError } from '../../strata-error.ts';
import { readRunEvents, readRunRecord, RUN_FILES, writeRunRecord } from './run-store.ts';

/**
 * A process id that still names a live process that could be training (signal 0 only
 * checks). Where /proc exists, a pid the system has since given to an unrelated program
 * (not node, electron or strata) counts as gone.
 */
export function trainingProcessAlive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false; // EPERM: alive, someone else's
  }
  let cmdline: string;
  try {
    cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return true; // no /proc (macOS, Windows) or not readable: trust the signal
  }
  return /node|electron|strata|tsx/i.test(cmdline);
}

/**
 * Whether a record that says "running" is really training somewhere. `notTrainingHere`
 * lets a host that owns the engine say "that pid is my engine and it is not training this
 * run" (the run's messages were lost, say) — alive, but the run is interrupted all the same.
 */
export type StaleRunCheck = (record: RunRecord) => boolean;

function summaryOf(runDir: string, record: RunRecord, stale?: StaleRunCheck): RunSummary {
  const interrupted = record.status === 'running' && (!trainingProcessAlive(record.pid) || (stale?.(record) ?? false));
  return {
    runId: record.runId, runDir, name: record.name ?? null, note: record.note ?? null,
    status: interrupted ? 'interrupted' : record.status,
    reason: interrupted ? 'the training process is gone (killed, crashed or the machine stopped); resume it from its checkpoint' : record.reason,
    createdAt: record.createdAt, endedAt: record.endedAt, epochs: record.training.epochs, checkpointEpoch: record.checkpointEpoch,
    lastEpoch: record.lastEpoch, resumes: record.resumes ?? 0, dataKind: record.data.kind,
    task: record.targets?.type === 'regression' ? 'regression' : 'classification',
  };
}

/** Every run folder under `runsDir`, newest first; folders that are not runs are left out. */
export function listRuns(runsDir: string, stale?: StaleRunCheck): RunSummary[] {
  if (!fs.existsSync(runsDir)) return [];
  return fs.readdirSync(runsDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(runsDir, e.name, RUN_FILES.record)))
    .flatMap((e): RunSummary[] => {
      const runDir = path.join(runsDir, e.name);
      try {
        return [summaryOf(runDir, readRunRecord(runDir), stale)];
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
export function runDetails(runDir: string, stale?: StaleRunCheck): RunDetails {
  const record = readRunRecord(runDir);
  const byEpoch = new Map<number, RunDetails['history'][number]>();
  for (const e of readRunEvents(runDir)) {
    if (e.type === 'epoch') byEpoch.set(e.epoch, { epoch: e.epoch, loss: e.loss, acc: e.acc, val_loss: e.val_loss, val_acc: e.val_acc, learningRate: e.learningRate ?? null });
  }
  return {
    ...summaryOf(runDir, record, stale), training: record.training, data: record.data, spec: record.spec, backend: record.backend,
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
export function deleteRun(runDir: string, stale?: StaleRunCheck): void {
  const record = readRunRecord(runDir); // throws NOT_A_RUN for any other folder
  if (record.status === 'running' && trainingProcessAlive(record.pid) && !(stale?.(record) ?? false)) {
    throw new StrataError('RUN_IN_PROGRESS', `${runDir} is still training; stop it before deleting it.`);
  }
  fs.rmSync(runDir, { recursive: true, force: true });
}
