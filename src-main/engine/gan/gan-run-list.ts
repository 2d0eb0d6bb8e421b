import fs from 'node:fs';
import path from 'node:path';
import type { GanRunRecord, GanRunSummary } from '../../../src-shared/contract/gan.ts';
import { trainingProcessAlive } from '../train/run-list.ts';
import { isGanRun, readGanRunRecord } from './gan-run-store.ts';

/** The GAN run folders directly under `runsDir`. */
export function ganRunFolders(runsDir: string): string[] {
  if (!fs.existsSync(runsDir)) return [];
  return fs.readdirSync(runsDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && isGanRun(path.join(runsDir, e.name)))
    .map((e) => path.join(runsDir, e.name));
}

/**
 * Every GAN run under `runsDir`, newest first, for `strata runs` and the window's list alike.
 * A record that says "running" is interrupted when the process that trains it is gone — or,
 * through `stale`, when a host says that pid is its own engine and it is not training that
 * run. A run started from the CLI is therefore "running" in the window while it trains.
 */
export function listGanRuns(runsDir: string, stale?: (record: GanRunRecord) => boolean): GanRunSummary[] {
  return ganRunFolders(runsDir).flatMap((runDir): GanRunSummary[] => {
    let record: GanRunRecord;
    try {
      record = readGanRunRecord(runDir);
    } catch {
      return []; // a torn or foreign gan-run.json: not listed rather than failing the list
    }
    const interrupted = record.status === 'running' && (!trainingProcessAlive(record.pid) || (stale?.(record) ?? false));
    return [{
      kind: 'gan', runId: record.runId, runDir, createdAt: record.createdAt,
      status: interrupted ? 'interrupted' : record.status,
      reason: interrupted ? 'the training process is gone (killed, crashed or the machine stopped); its last epoch\'s checkpoint is kept' : record.reason,
      epochs: record.training.epochs, checkpointEpoch: record.checkpointEpoch, lastEpoch: record.lastEpoch,
    }];
  }).sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
}
