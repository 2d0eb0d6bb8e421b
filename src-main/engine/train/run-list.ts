import fs from 'node:fs';
import path from 'node:path';
import type { RunRecord, RunSummary } from '../../../src-shared/contract/run-record.ts';
import { readRunRecord, RUN_FILES } from './run-store.ts';

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

/** Every run folder under `runsDir`, newest first; folders that are not runs are left out. */
export function listRuns(runsDir: string): RunSummary[] {
  if (!fs.existsSync(runsDir)) return [];
  return fs.readdirSync(runsDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(runsDir, e.name, RUN_FILES.record)))
    .flatMap((e): RunSummary[] => {
      const runDir = path.join(runsDir, e.name);
      let record: RunRecord;
      try {
        record = readRunRecord(runDir);
      } catch {
        return []; // a torn or foreign run.json: not listed rather than failing the list
      }
      const interrupted = record.status === 'running' && !alive(record.pid);
      return [{
        runId: record.runId, runDir, status: interrupted ? 'interrupted' : record.status,
        reason: interrupted ? 'the training process is gone (killed, crashed or the machine stopped); resume it from its checkpoint' : record.reason,
        createdAt: record.createdAt, endedAt: record.endedAt, epochs: record.training.epochs, checkpointEpoch: record.checkpointEpoch,
        lastEpoch: record.lastEpoch, resumes: record.resumes ?? 0,
      }];
    })
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
}

