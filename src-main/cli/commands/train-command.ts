import path from 'node:path';
import type { TrainEvent } from '../../../src-shared/contract/streams.ts';
import { readProjectFile, resolveProjectPath } from '../../projects/project-file.ts';
import { newRunId, readRunRecord } from '../../engine/train/run-store.ts';
import { runTraining, type TrainRunRequest } from '../../engine/train/train-run.ts';
import { UsageError, type CliIo } from '../cli-io.ts';

export const TRAIN_HELP = `strata train <project.strata.json> [--epochs N] [--batch-size B] [--learning-rate LR] [--out <runDir>] [--json]
strata train --resume <runDir> [--json]
  Trains the project's network on its dataset (images, a CSV table, texts or a time series;
  set with strata new --data). Without --json: a progress bar with ETA;
  with --json: one JSON object per line (started, batch, epoch, end). Ctrl-C stops after
  the current batch and keeps the last epoch's checkpoint. Exit code 0 when completed.
  --resume continues a stopped, failed or interrupted run from its last checkpoint (same
  run folder, spec, data and settings; refused if the data changed).`;

const fmt = (v: number | null, digits = 4): string => (v === null ? '–' : v.toFixed(digits));

function formatSeconds(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return '–';
  if (s < 60) return `${Math.round(s)}s`;
  return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
}

/** Renders events for a person: a live bar on a terminal, one line per epoch otherwise. */
function humanPrinter(io: CliIo, tty: boolean) {
  let epochs = 0;
  let batches = 0;
  return (e: TrainEvent): void => {
    if (e.type === 'started') {
      epochs = e.epochs;
      batches = e.batchesPerEpoch;
      io.err(e.backendLine);
      if (e.resumedFromEpoch !== undefined) io.err(`resuming from the checkpoint of epoch ${e.resumedFromEpoch}`);
      io.err(e.executionLine);
      if (e.weightsLine) io.err(e.weightsLine);
      io.err(e.dataLine ?? `data: ${e.trainCount} samples for training, ${e.validationCount} for validation`);
      io.err(`${e.classes.length > 0 ? `${e.classes.length} classes` : 'regression'}; run folder ${e.runDir}`);
    } else if (e.type === 'batch' && tty) {
      const width = 24;
      const filled = Math.round(e.progress * width);
      process.stderr.write(`\r  epoch ${e.epoch}/${epochs} [${'='.repeat(filled)}${' '.repeat(width - filled)}] ${String(Math.round(e.progress * 100)).padStart(3)}%  batch ${e.batch}/${batches}  loss ${fmt(e.loss)}  acc ${fmt(e.acc, 3)}  ETA ${formatSeconds(e.etaSeconds)}   `);
    } else if (e.type === 'epoch') {
      if (tty) process.stderr.write('\n');
      io.err(`  epoch ${e.epoch}/${epochs}: loss ${fmt(e.loss)}  acc ${fmt(e.acc, 3)}  val_loss ${fmt(e.val_loss)}  val_acc ${fmt(e.val_acc, 3)}  (${e.seconds.toFixed(1)}s)`);
    } else if (e.type === 'end') {
      if (tty) process.stderr.write('\n');
      io.err(`${e.status}${e.reason ? `: ${e.reason}` : ''}`);
      io.out(e.runDir);
    }
  };
}

export async function trainCommand(
  args: { project: string; epochs?: number; batchSize?: number; learningRate?: number; out?: string; json: boolean }, io: CliIo,
): Promise<number> {
  // A project folder's file is project.strata.json inside it; its runs go beside that file.
  const projectFile = resolveProjectPath(args.project);
  const project = readProjectFile(projectFile);
  if (!project.data) throw new UsageError(`${projectFile} has no dataset; set one in the window or re-create it with \`strata new --data <dir>\``);
  const training = {
    ...project.training,
    ...(args.epochs !== undefined ? { epochs: args.epochs } : {}),
    ...(args.batchSize !== undefined ? { batchSize: args.batchSize } : {}),
    ...(args.learningRate !== undefined ? { learningRate: args.learningRate } : {}),
  };
  const runId = newRunId();
  const runDir = path.resolve(args.out ?? path.join(path.dirname(projectFile), 'runs', runId));
  // An imported model's weights (strata import): training starts from them.
  return trainWithCtrlC({ runId, runDir, spec: project.model, data: project.data, training, ...(project.weights ? { initialWeights: project.weights } : {}) }, args.json, io);
}

/** `strata train --resume <runDir>`: the run's own spec, data and settings, from its last checkpoint. */
export async function resumeCommand(args: { runDir: string; json: boolean }, io: CliIo): Promise<number> {
  const runDir = path.resolve(args.runDir);
  const record = readRunRecord(runDir);
  return trainWithCtrlC({ runId: record.runId, runDir, spec: record.spec, data: record.data, training: record.training, resume: true }, args.json, io);
}

async function trainWithCtrlC(request: TrainRunRequest, json: boolean, io: CliIo): Promise<number> {
  const print = json ? (e: TrainEvent) => io.out(JSON.stringify(e)) : humanPrinter(io, Boolean(process.stderr.isTTY));
  const controller = new AbortController();
  const onSigint = (): void => {
    if (controller.signal.aborted) process.exit(130); // a second Ctrl-C: leave now
    io.err('\nstopping after this batch (Ctrl-C again to quit at once)…');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    const end = await runTraining(request, print, controller.signal);
    return end.status === 'completed' ? 0 : end.status === 'cancelled' ? 130 : 1;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
