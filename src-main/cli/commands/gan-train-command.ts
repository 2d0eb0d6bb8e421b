import fs from 'node:fs';
import path from 'node:path';
import { dcganTemplate, GanProjectSchema, GanTrainingConfigSchema, type GanEvent, type GanProject } from '../../../src-shared/contract/gan.ts';
import { loadGanImages } from '../../engine/gan/gan-images.ts';
import { runGanTraining } from '../../engine/gan/gan-run.ts';
import { newRunId } from '../../engine/train/run-store.ts';
import { StrataError } from '../../strata-error.ts';
import { UsageError, type CliIo } from '../cli-io.ts';

export const GAN_TRAIN_HELP = `strata gan-train <project.gan.json> [--data <imagesDir>] [options]
strata gan-train --template dcgan --data <imagesDir> [options]
  Trains a GAN: the generator (noise → image) and the discriminator (image → real/fake)
  in turns — a discriminator step on a real and a generated batch, then a generator step
  through the frozen discriminator. Each epoch prints both losses and the discriminator's
  accuracy on real and on generated images, and writes a sample grid from fixed noise to
  <runDir>/samples/. The run folder keeps gan-run.json, events.jsonl and both networks in
  checkpoint/generator and checkpoint/discriminator. Images: every image under the folder
  (flat or in sub-folders; beside a labels CSV, those it lists), labels unused, read as grey
  28×28 unless the project says otherwise.
  The run keeps a moving average of the generator's weights (decay 0.999; it makes cleaner
  images than the last step's weights): the checkpoint, the sample grids, exports and
  strata generate use it. --generator-average 0 keeps the last step's generator instead.
  --epochs N  --batch-size B  --samples-per-epoch S  --seed S  --generator-average D  --out <runDir>
  --json: one JSON object per line (started, batch, epoch, samples, end).
  Ctrl-C stops after the current step and keeps the last epoch's checkpoint.`;

/** Reads a GAN project file; a bad one is refused naming the file and the field. */
export function readGanProject(file: string): GanProject {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new StrataError('BAD_GAN_PROJECT', `${file} cannot be read as JSON (${err instanceof Error ? err.message : err}); pass a GAN project file or use --template dcgan.`);
  }
  const parsed = GanProjectSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new StrataError('BAD_GAN_PROJECT', `${file} is not a valid GAN project: ${first?.path.join('.') || '(top level)'}: ${first?.message}. It needs kind "gan-project", gan {kind, generator, discriminator, noiseSize} and optionally data and training.`);
  }
  return parsed.data;
}

export interface GanTrainArgs {
  project?: string;
  template?: string;
  data?: string;
  epochs?: number;
  batchSize?: number;
  samplesPerEpoch?: number;
  seed?: number;
  generatorAverage?: number;
  out?: string;
  json: boolean;
}

const fmt = (v: number | null, digits = 4): string => (v === null ? '–' : v.toFixed(digits));

function humanPrinter(io: CliIo) {
  let epochs = 0;
  return (e: GanEvent): void => {
    if (e.type === 'started') {
      epochs = e.epochs;
      io.err(e.backendLine);
      io.err(`data: ${e.trainCount} images of ${e.imageShape.join('×')}, ${e.batchesPerEpoch} steps per epoch; noise size ${e.noiseSize}; run folder ${e.runDir}`);
    } else if (e.type === 'epoch') {
      io.err(`  epoch ${e.epoch}/${epochs}: d_loss ${fmt(e.d_loss)}  g_loss ${fmt(e.g_loss)}  d_acc real ${fmt(e.d_acc_real, 3)} fake ${fmt(e.d_acc_fake, 3)}  (${e.seconds.toFixed(1)}s)`);
    } else if (e.type === 'samples') {
      io.err(`  samples: ${e.file}`);
    } else if (e.type === 'end') {
      io.err(`${e.status}${e.reason ? `: ${e.reason}` : ''}`);
      io.out(e.runDir);
    }
  };
}

export async function ganTrainCommand(args: GanTrainArgs, io: CliIo): Promise<number> {
  if ((args.project === undefined) === (args.template === undefined)) {
    throw new UsageError('give either a GAN project file or --template dcgan, not both and not neither');
  }
  if (args.template !== undefined && args.template !== 'dcgan') throw new UsageError(`--template must be dcgan, not "${args.template}"`);
  const project: GanProject = args.project !== undefined
    ? readGanProject(path.resolve(args.project))
    : { kind: 'gan-project', gan: dcganTemplate(), training: GanTrainingConfigSchema.parse({}) };
  // A project's data path is relative to its file; --data wins over it.
  const base = args.project !== undefined ? path.dirname(path.resolve(args.project)) : process.cwd();
  const dataPath = args.data ?? (project.data ? path.resolve(base, project.data.path) : undefined);
  if (dataPath === undefined) throw new UsageError('--data <imagesDir> is required (the project names no image folder)');
  if (!fs.existsSync(dataPath) || !fs.statSync(dataPath).isDirectory()) throw new UsageError(`--data ${dataPath} is not a folder of images`);

  const training = GanTrainingConfigSchema.parse({
    ...project.training,
    ...(args.epochs !== undefined ? { epochs: args.epochs } : {}),
    ...(args.batchSize !== undefined ? { batchSize: args.batchSize } : {}),
    ...(args.samplesPerEpoch !== undefined ? { samplesPerEpoch: args.samplesPerEpoch } : {}),
    ...(args.seed !== undefined ? { seed: args.seed } : {}),
    ...(args.generatorAverage !== undefined ? { generatorAverage: args.generatorAverage } : {}),
  });
  const images = await loadGanImages(dataPath, { imageSize: project.data?.imageSize ?? [28, 28], channels: project.data?.channels ?? 1 });
  const runId = newRunId();
  const runDir = path.resolve(args.out ?? path.join(base, 'runs', runId));
  const print = args.json ? (e: GanEvent) => io.out(JSON.stringify(e)) : humanPrinter(io);
  const controller = new AbortController();
  const onSigint = (): void => {
    if (controller.signal.aborted) process.exit(130);
    io.err('\nstopping after this step (Ctrl-C again to quit at once)…');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    const end = await runGanTraining({ runId, runDir, gan: project.gan, training, images }, print, controller.signal);
    return end.status === 'completed' ? 0 : end.status === 'cancelled' ? 130 : 1;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
