import { z } from 'zod';
import { BackendNameSchema, ExecutionModeSchema } from './engine-report.ts';
import { ContractErrorSchema } from './contract-error.ts';
import { GanEventSchema } from './gan.ts';
import { RunStatusSchema } from './run-status.ts';

export { RunStatusSchema, type RunStatus } from './run-status.ts';

const Metric = z.number().nullable();

/** What a training run streams, in order: started, batches/epochs, then exactly one end. */
export const TrainEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('started'),
    runId: z.string(),
    runDir: z.string(),
    backend: BackendNameSchema,
    native: z.boolean(),
    /** The one line the CLI prints about the engine (a warning on a fallback). */
    backendLine: z.string(),
    execution: ExecutionModeSchema,
    /** How the steps run, and why when they could not run as one graph. */
    executionLine: z.string(),
    /** What is trained on and where it lives (memory or streamed from disk), e.g. "data: 1,204 images for training, …". */
    dataLine: z.string().optional(),
    /** Transfer learning: which layers started from imported weights, and which fresh. */
    weightsLine: z.string().optional(),
    /** A resumed run: the epoch whose checkpoint it continues from. */
    resumedFromEpoch: z.number().int().optional(),
    epochs: z.number().int(),
    batchesPerEpoch: z.number().int(),
    trainCount: z.number().int(),
    validationCount: z.number().int(),
    classes: z.array(z.string()),
  }),
  z.object({
    type: z.literal('batch'),
    epoch: z.number().int(),
    batch: z.number().int(),
    loss: Metric,
    acc: Metric,
    /** Fraction of the whole run done, 0–1. */
    progress: z.number(),
    etaSeconds: z.number().nullable(),
  }),
  z.object({
    type: z.literal('epoch'),
    epoch: z.number().int(),
    loss: Metric,
    acc: Metric,
    val_loss: Metric,
    val_acc: Metric,
    seconds: z.number(),
    /** The learning rate this epoch trained with (a schedule changes it). */
    learningRate: z.number().optional(),
  }),
  /** Live saliency: the probe images' maps at an epoch end, and what they cost. */
  z.object({
    type: z.literal('saliency'),
    epoch: z.number().int(),
    /** Seconds this epoch's maps took. */
    seconds: z.number(),
    /** Probe time so far over training time so far (kept under the run's budget). */
    share: z.number(),
    /** The maps of the epochs in between were skipped to stay under the budget. */
    skippedEpochs: z.number().int(),
    probes: z.array(z.object({
      id: z.string(),
      label: z.string().nullable(),
      predicted: z.string(),
      confidence: z.number(),
      /** PNG data: URLs: the input, and each method's map over it. */
      image: z.string(),
      maps: z.record(z.string(), z.string()),
    })),
  }),
  /** The run was paused (between two batches) or resumed. */
  z.object({ type: z.literal('control'), state: z.enum(['paused', 'running']), epoch: z.number().int(), batch: z.number().int() }),
  z.object({
    type: z.literal('end'),
    status: RunStatusSchema,
    runDir: z.string(),
    reason: z.string().optional(),
    error: ContractErrorSchema.optional(),
  }),
]);
export type TrainEvent = z.infer<typeof TrainEventSchema>;

/** Every stream: subscription args → event schema. A stream ends with its own final event. */
export const streams = {
  'train.events': { args: z.object({ runId: z.string() }), event: TrainEventSchema },
  /** A GAN run's events (contract/gan.ts): its history so far, then live until its end event. */
  'gan.events': { args: z.object({ runId: z.string() }), event: GanEventSchema },
} as const;

export type StreamName = keyof typeof streams;
export type StreamArgs<S extends StreamName> = z.input<(typeof streams)[S]['args']>;
export type StreamEvent<S extends StreamName> = z.infer<(typeof streams)[S]['event']>;
