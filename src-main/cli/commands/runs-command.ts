import fs from 'node:fs';
import path from 'node:path';
import type { RunRecord } from '../../../src-shared/contract/run-record.ts';
import { readRunRecord, RUN_FILES } from '../../engine/train/run-store.ts';
import { UsageError, type CliIo } from '../cli-io.ts';

export const RUNS_HELP = `strata runs <project.strata.json | runs folder> [--json]
  The runs of a project (its runs/ folder) or of a runs folder, newest first: status,
  epochs done, the last metrics, and why a run ended. A run whose training process is
  gone while its record still says "running" is shown as interrupted: continue it with
  strata train --resume <runDir>.`;

export interface RunSummary {
  runId: string;
  runDir: string;
  status: RunRecord['status'] | 'interrupted';
  reason: string | null;
  createdAt: string;
  endedAt: string | null;
  epochs: number;
  checkpointEpoch: number;
  lastEpoch: RunRecord['lastEpoch'];
  resumes: number;
}

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

const metric = (v: number | null | undefined, digits: number) => (v === null || v === undefined ? '–' : v.toFixed(digits));

export async function runsCommand(args: { target: string; json: boolean }, io: CliIo): Promise<number> {
  const target = path.resolve(args.target);
  if (!fs.existsSync(target)) throw new UsageError(`${target} does not exist; pass a project file or a runs folder`);
  const runsDir = fs.statSync(target).isDirectory() ? target : path.join(path.dirname(target), 'runs');
  const runs = listRuns(runsDir);
  if (args.json) {
    io.out(JSON.stringify(runs));
    return 0;
  }
  if (runs.length === 0) {
    io.out(`no runs in ${runsDir}`);
    return 0;
  }
  io.out(`${runs.length} run(s) in ${runsDir}\n`);
  io.out(`  ${'run'.padEnd(28)} ${'status'.padEnd(12)} ${'epochs'.padStart(7)} ${'loss'.padStart(8)} ${'val_loss'.padStart(9)} ${'val_acc'.padStart(8)}  started`);
  for (const r of runs) {
    const e = r.lastEpoch;
    io.out(`  ${r.runId.padEnd(28)} ${r.status.padEnd(12)} ${`${r.checkpointEpoch}/${r.epochs}`.padStart(7)} ${metric(e?.loss, 4).padStart(8)} ${metric(e?.val_loss, 4).padStart(9)} ${metric(e?.val_acc, 3).padStart(8)}  ${r.createdAt.replace('T', ' ').slice(0, 19)}`);
    if (r.reason) io.out(`    ${r.reason}`);
  }
  return 0;
}
