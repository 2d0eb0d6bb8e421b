import fs from 'node:fs';
import path from 'node:path';
import type { GanRunSummary } from '../../../src-shared/contract/gan.ts';
import type { RunSummary } from '../../../src-shared/contract/run-record.ts';
import { listGanRuns } from '../../engine/gan/gan-run-list.ts';
import { listRuns } from '../../engine/train/run-list.ts';
import { UsageError, type CliIo } from '../cli-io.ts';
import { PROJECT_FILE_IN_FOLDER } from '../../projects/project-file.ts';

export const RUNS_HELP = `strata runs <project.strata.json | runs folder> [--json]
  The runs of a project (its runs/ folder) or of a runs folder, newest first: status,
  epochs done, the last metrics, and why a run ended. A run whose training process is
  gone while its record still says "running" is shown as interrupted: continue it with
  strata train --resume <runDir>. GAN runs (strata gan-train, or the window's GAN projects)
  are listed after them with both losses and the discriminator's accuracy; in --json they
  are the items with "kind": "gan".`;

const metric = (v: number | null | undefined, digits: number) => (v === null || v === undefined ? '–' : v.toFixed(digits));

export async function runsCommand(args: { target: string; json: boolean }, io: CliIo): Promise<number> {
  const target = path.resolve(args.target);
  if (!fs.existsSync(target)) throw new UsageError(`${target} does not exist; pass a project file or a runs folder`);
  // A project file or project folder → its runs/; any other folder is taken as a runs folder.
  const isProjectFolder = fs.statSync(target).isDirectory() && fs.existsSync(path.join(target, PROJECT_FILE_IN_FOLDER));
  const runsDir = isProjectFolder ? path.join(target, 'runs') : fs.statSync(target).isDirectory() ? target : path.join(path.dirname(target), 'runs');
  const runs = listRuns(runsDir);
  const ganRuns = listGanRuns(runsDir);
  if (args.json) {
    io.out(JSON.stringify([...runs, ...ganRuns]));
    return 0;
  }
  if (runs.length + ganRuns.length === 0) {
    io.out(`no runs in ${runsDir}`);
    return 0;
  }
  io.out(`${runs.length + ganRuns.length} run(s) in ${runsDir}\n`);
  if (runs.length > 0) printRuns(runs, io);
  if (ganRuns.length > 0) printGanRuns(ganRuns, io, runs.length > 0);
  return 0;
}

function printRuns(runs: RunSummary[], io: CliIo): void {
  io.out(`  ${'run'.padEnd(28)} ${'status'.padEnd(12)} ${'epochs'.padStart(7)} ${'loss'.padStart(8)} ${'val_loss'.padStart(9)} ${'val_acc'.padStart(8)}  started`);
  for (const r of runs) {
    const e = r.lastEpoch;
    io.out(`  ${r.runId.padEnd(28)} ${r.status.padEnd(12)} ${`${r.checkpointEpoch}/${r.epochs}`.padStart(7)} ${metric(e?.loss, 4).padStart(8)} ${metric(e?.val_loss, 4).padStart(9)} ${metric(e?.val_acc, 3).padStart(8)}  ${r.createdAt.replace('T', ' ').slice(0, 19)}`);
    if (r.reason) io.out(`    ${r.reason}`);
  }
}

function printGanRuns(runs: GanRunSummary[], io: CliIo, afterOthers: boolean): void {
  if (afterOthers) io.out('');
  io.out(`  ${'GAN run'.padEnd(28)} ${'status'.padEnd(12)} ${'epochs'.padStart(7)} ${'d_loss'.padStart(8)} ${'g_loss'.padStart(8)} ${'D real'.padStart(7)} ${'D fake'.padStart(7)}  started`);
  for (const r of runs) {
    const e = r.lastEpoch;
    io.out(`  ${r.runId.padEnd(28)} ${r.status.padEnd(12)} ${`${r.checkpointEpoch}/${r.epochs}`.padStart(7)} ${metric(e?.d_loss, 4).padStart(8)} ${metric(e?.g_loss, 4).padStart(8)} ${metric(e?.d_acc_real, 3).padStart(7)} ${metric(e?.d_acc_fake, 3).padStart(7)}  ${r.createdAt.replace('T', ' ').slice(0, 19)}`);
    if (r.reason) io.out(`    ${r.reason}`);
  }
}
