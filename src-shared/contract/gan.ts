import { z } from 'zod';
import { ModelSpecSchema, type ModelSpec } from '../spec/model-spec.ts';
import { getTemplate } from '../spec/templates.ts';
import { BackendNameSchema } from './engine-report.ts';
import { ContractErrorSchema } from './contract-error.ts';
import { RunStatusSchema } from './run-status.ts';

/**
 * A GAN project: two graphs on one canvas. The generator turns `noiseSize` random numbers
 * into an image in [-1, 1] (tanh); the discriminator turns an image into one probability
 * that it is real (sigmoid). `checkGan` (graph/gan-check.ts) checks them against each other.
 */
export const GanSpecSchema = z.object({
  kind: z.literal('gan'),
  generator: ModelSpecSchema,
  discriminator: ModelSpecSchema,
  noiseSize: z.number().int().min(1).max(4096),
});
export type GanSpec = z.infer<typeof GanSpecSchema>;

/** The settings of one of the two networks' Adam optimizers. */
export const GanOptimizerSchema = z.object({
  optimizer: z.literal('adam').default('adam'),
  learningRate: z.number().positive().max(1).default(0.0002),
  beta1: z.number().min(0).max(0.999).default(0.5),
});
export type GanOptimizer = z.infer<typeof GanOptimizerSchema>;

/**
 * How a GAN trains: the alternating loop's settings. Defaults are DCGAN's (Radford et al.
 * 2015) except the generator's learning rate, twice DCGAN's: on real digits the generator
 * was the one lagging (the discriminator sat near chance), and 0.0004 reached a given
 * quality in fewer epochs than 0.0002 (README, "How good is it?").
 */
export const GanTrainingConfigSchema = z.object({
  /**
   * 30 by default: the fixed run the quality figure is measured after — on real digits the
   * DCGAN templates are 65.6–70.6 % confident by then over 5 seeds, each ≥ 60 % at every epoch
   * from 21 (README, "How good is it?").
   * A run can be stopped at any epoch and keeps that epoch's generator.
   */
  epochs: z.number().int().min(1).max(10_000).default(30),
  batchSize: z.number().int().min(2).max(4096).default(64),
  generator: GanOptimizerSchema.default({ optimizer: 'adam', learningRate: 0.0004, beta1: 0.5 }),
  discriminator: GanOptimizerSchema.default({ optimizer: 'adam', learningRate: 0.0002, beta1: 0.5 }),
  /** The target for real images in the discriminator's loss (one-sided label smoothing); 1 = none. */
  realLabel: z.number().min(0.5).max(1).default(0.9),
  /**
   * The run keeps a moving average of the generator's weights with this decay (0 = keep the
   * last step's generator): the checkpoint, the sample grid, exports and `strata generate`
   * use it. The decay warms up as TensorFlow's moving average does, min(decay, (1+t)/(10+t))
   * after t steps, so 0.999 (about the last thousand steps) applies only after ~9,000 steps;
   * before that the average spans about the last ninth of the run (~470 steps after a
   * 30-epoch run on 9,000 images).
   */
  generatorAverage: z.number().min(0).max(0.9999).default(0.999),
  /** Every random draw (initial weights, shuffles, noise, dropout) follows it. */
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
  /** The fixed-noise sample grid drawn at each epoch end is gridSize × gridSize images. */
  gridSize: z.number().int().min(1).max(16).default(8),
  /** Train on at most this many images per epoch (all when absent): short runs on big folders. */
  samplesPerEpoch: z.number().int().min(1).optional(),
});
export type GanTrainingConfig = z.infer<typeof GanTrainingConfigSchema>;

const Loss = z.number().nullable();

/** A GAN run's stream: started, throttled batches, epochs, the sample grid per epoch, end. */
export const GanEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('started'), runDir: z.string(), epochs: z.number().int(), batchesPerEpoch: z.number().int(),
    trainCount: z.number().int(), imageShape: z.array(z.number().int()), noiseSize: z.number().int(),
    backend: BackendNameSchema, backendLine: z.string(),
  }),
  z.object({
    type: z.literal('batch'), epoch: z.number().int(), batch: z.number().int(), d_loss: Loss, g_loss: Loss,
    progress: z.number().min(0).max(1), etaSeconds: z.number().nullable(),
  }),
  z.object({
    type: z.literal('epoch'), epoch: z.number().int(), d_loss: Loss, g_loss: Loss,
    /** Share of real images the discriminator called real (p > 0.5), and of generated ones it called fake. */
    d_acc_real: z.number(), d_acc_fake: z.number(), seconds: z.number(),
  }),
  z.object({
    /** The generator's images for the run's fixed noise, as one grid: the timeline's frame for this epoch. */
    type: z.literal('samples'), epoch: z.number().int(), file: z.string(), width: z.number().int(), height: z.number().int(),
    /** The grid as a PNG data URL, so a window can show it without reading the run folder. */
    png: z.string(),
  }),
  z.object({
    type: z.literal('end'), status: RunStatusSchema, runDir: z.string(), reason: z.string().optional(), error: ContractErrorSchema.optional(),
  }),
]);
export type GanEvent = z.infer<typeof GanEventSchema>;

export const GAN_RUN_VERSION = 1;

/**
 * `gan-run.json` in a GAN run folder. RunRecord (run.json) describes one classifier or
 * regressor with one spec and class lists, so a GAN run keeps its own record beside the
 * same events.jsonl / checkpoint layout: checkpoint/generator and checkpoint/discriminator.
 */
export const GanRunRecordSchema = z.object({
  schemaVersion: z.literal(GAN_RUN_VERSION),
  kind: z.literal('gan'),
  runId: z.string(),
  createdAt: z.string(),
  endedAt: z.string().nullable(),
  status: z.union([z.literal('running'), RunStatusSchema]),
  reason: z.string().nullable(),
  gan: GanSpecSchema,
  training: GanTrainingConfigSchema,
  /** The image folder trained on and its images' shape [h, w, c]. */
  data: z.object({ path: z.string(), imageShape: z.array(z.number().int()) }),
  backend: z.object({ name: BackendNameSchema, native: z.boolean(), libtensorflowVersion: z.string().nullable() }),
  checkpointEpoch: z.number().int().nonnegative(),
  /** The process training the run while it is "running": a list tells a live run from an interrupted one by it. */
  pid: z.number().int().optional(),
  lastEpoch: z.object({ epoch: z.number().int(), d_loss: Loss, g_loss: Loss, d_acc_real: z.number(), d_acc_fake: z.number() }).nullable(),
});
export type GanRunRecord = z.infer<typeof GanRunRecordSchema>;

/** The DCGAN templates as one GAN project, sized for `imageShape` (28×28×1 by default). */
export function dcganTemplate(imageShape: readonly number[] = [28, 28, 1]): GanSpec {
  const generator: ModelSpec = getTemplate('dcgan-generator')!.build({ inputShape: imageShape });
  const discriminator: ModelSpec = getTemplate('dcgan-discriminator')!.build({ inputShape: imageShape });
  return { kind: 'gan', generator, discriminator, noiseSize: 100 };
}

/**
 * A GAN project file (`*.gan.json`): the two graphs, the images to learn from (a folder,
 * relative to the file) and the training settings. `strata gan-train` reads it.
 */
export const GanProjectSchema = z.object({
  kind: z.literal('gan-project'),
  gan: GanSpecSchema,
  data: z.object({
    path: z.string().min(1),
    imageSize: z.tuple([z.number().int().min(4).max(512), z.number().int().min(4).max(512)]).default([28, 28]),
    channels: z.union([z.literal(1), z.literal(3)]).default(1),
  }).optional(),
  training: GanTrainingConfigSchema.default(GanTrainingConfigSchema.parse({})),
});
export type GanProject = z.infer<typeof GanProjectSchema>;

/**
 * What a window project keeps when it is a GAN project (`project.gan`): its canvas (the
 * project's `model`) holds the generator and the discriminator side by side
 * (graph/gan-canvas.ts), and these are the alternating loop's settings. The noise size is
 * the generator's Input shape, so it lives on the canvas, not here.
 */
export const GanProjectSettingsSchema = z.object({
  training: GanTrainingConfigSchema.default(GanTrainingConfigSchema.parse({})),
});
export type GanProjectSettings = z.infer<typeof GanProjectSettingsSchema>;

/** One GAN run of a runs folder, as the GAN panel lists them (newest first). */
export const GanRunSummarySchema = z.object({
  /** Tells a GAN run from a classifier's in `strata runs --json`, which lists both. */
  kind: z.literal('gan'),
  runId: z.string(),
  runDir: z.string(),
  createdAt: z.string(),
  status: z.union([z.literal('running'), RunStatusSchema, z.literal('interrupted')]),
  reason: z.string().nullable(),
  epochs: z.number().int(),
  checkpointEpoch: z.number().int(),
  lastEpoch: GanRunRecordSchema.shape.lastEpoch,
});
export type GanRunSummary = z.infer<typeof GanRunSummarySchema>;
