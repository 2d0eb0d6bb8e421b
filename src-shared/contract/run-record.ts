import { z } from 'zod';
import { ModelSpecSchema } from '../spec/model-spec.ts';
import { BackendNameSchema, ExecutionModeSchema } from './engine-report.ts';
import { StoredDataConfigSchema } from './data-config.ts';
import { PreprocessingSchema, TargetsSchema } from './preprocessing.ts';
import { TrainingConfigSchema } from './project.ts';
import { RunStatusSchema } from './streams.ts';

export const RUN_RECORD_VERSION = 1;

/**
 * `run.json` in a run folder: everything needed to know what was trained, on what, on which
 * engine, and how it ended. Written when the run starts and rewritten at each epoch end and
 * at the end; the metric log beside it (events.jsonl) is appended as training goes.
 */
export const RunRecordSchema = z.object({
  schemaVersion: z.literal(RUN_RECORD_VERSION),
  runId: z.string(),
  createdAt: z.string(),
  endedAt: z.string().nullable(),
  status: z.union([z.literal('running'), RunStatusSchema]),
  reason: z.string().nullable(),
  spec: ModelSpecSchema,
  data: StoredDataConfigSchema,
  training: TrainingConfigSchema,
  backend: z.object({
    name: BackendNameSchema, native: z.boolean(), libtensorflowVersion: z.string().nullable(),
    /** Absent in runs recorded before the graph engine, which all ran op by op. */
    execution: ExecutionModeSchema.optional(),
  }),
  /** Class names (empty for regression). */
  classes: z.array(z.string()),
  /** What the model outputs and how inputs are prepared (absent in runs from before there were several data kinds: images, classes). */
  targets: TargetsSchema.optional(),
  preprocessing: PreprocessingSchema.optional(),
  /** The validation samples in order: files relative to the dataset folder (`<class>/…` or as the labels CSV names them), or rows. */
  validationFiles: z.array(z.string()),
  /** The class of each validation sample (absent in older runs, where it is the file's folder). */
  validationLabels: z.array(z.string()).optional(),
  /** The test samples, never trained on (absent when there is no test split). */
  testFiles: z.array(z.string()).optional(),
  /** The process that trains (or trained) the run: a `running` run whose process is gone was interrupted. */
  pid: z.number().int().optional(),
  /** Transfer learning: the weights folder the run started from, and which layers took their weights from it. */
  initialWeights: z.object({ path: z.string(), loaded: z.array(z.string()), fresh: z.array(z.object({ layer: z.string(), reason: z.string() })) }).optional(),
  /** A hash of the data as loaded (see dataset-fingerprint.ts); a resumed run checks it. */
  datasetFingerprint: z.string().optional(),
  /** The sweep this run is a trial of, and the values the trial set. */
  sweep: z.object({ id: z.string(), trial: z.number().int(), params: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])) }).optional(),
  /** A name and a note the person gave the run (the runs list shows them). */
  name: z.string().max(200).optional(),
  note: z.string().max(5000).optional(),
  /** How many times the run was resumed from its checkpoint. */
  resumes: z.number().int().nonnegative().optional(),
  /** Epochs whose weights are in checkpoint/ (0 = no checkpoint yet). */
  checkpointEpoch: z.number().int().nonnegative(),
  lastEpoch: z.object({
    epoch: z.number().int(),
    loss: z.number().nullable(),
    acc: z.number().nullable(),
    val_loss: z.number().nullable(),
    val_acc: z.number().nullable(),
  }).nullable(),
});
export type RunRecord = z.infer<typeof RunRecordSchema>;

/** One line of a runs list (`strata runs`, the window's Runs panel). */
export const RunSummarySchema = z.object({
  runId: z.string(),
  runDir: z.string(),
  name: z.string().nullable(),
  note: z.string().nullable(),
  /** `interrupted`: the record says running but its training process is gone. */
  status: z.union([z.literal('running'), z.literal('interrupted'), RunStatusSchema]),
  reason: z.string().nullable(),
  createdAt: z.string(),
  endedAt: z.string().nullable(),
  epochs: z.number().int(),
  checkpointEpoch: z.number().int(),
  lastEpoch: RunRecordSchema.shape.lastEpoch,
  resumes: z.number().int(),
  /** What it trained on (images, a table, texts, a series): decides how it can be explained. */
  dataKind: z.enum(['image-folder', 'csv-table', 'text', 'timeseries']),
  /** Classification or regression. */
  task: z.enum(['classification', 'regression']),
});
export type RunSummary = z.infer<typeof RunSummarySchema>;

/** One epoch of a run's history, as the comparison overlays it. */
export const EpochHistorySchema = z.object({
  epoch: z.number().int(), loss: z.number().nullable(), acc: z.number().nullable(),
  val_loss: z.number().nullable(), val_acc: z.number().nullable(), learningRate: z.number().nullable(),
});

/** What the comparison needs of a run: its settings, data and graph, and its curves. */
export const RunDetailsSchema = RunSummarySchema.extend({
  training: RunRecordSchema.shape.training,
  data: RunRecordSchema.shape.data,
  spec: RunRecordSchema.shape.spec,
  backend: RunRecordSchema.shape.backend,
  datasetFingerprint: z.string().nullable(),
  history: z.array(EpochHistorySchema),
});
export type RunDetails = z.infer<typeof RunDetailsSchema>;
