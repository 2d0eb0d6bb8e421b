import { z } from 'zod';
import { BlockDefSchema, LayerNameSchema, ModelSpecSchema } from '../spec/model-spec.ts';
import { ColumnProfileSchema, DataHealthReportSchema } from './data-health.ts';
import { TargetsSchema } from './preprocessing.ts';
import { RunDetailsSchema, RunSummarySchema } from './run-record.ts';
import { SweepSpecSchema, SweepStatusSchema } from './sweep.ts';
import { EvaluationExampleSchema, EvaluationSchema, EvaluationSourceSchema } from './evaluation.ts';
import { ExportFormatSchema, ExportResultSchema } from './export.ts';
import {
  ExplainInputSchema, ExplainMethodSchema, ExplainOptionsSchema, ExplanationSchema, FeatureExplainInputSchema, FeatureExplanationSchema,
  RunSampleSchema, SanityCheckSchema,
} from './explanation.ts';
import { DoctorReportSchema } from './engine-report.ts';
import { DataConfigSchema, DataPurposeSchema, ImageDataConfigSchema } from './data-config.ts';
import { ProjectBackupSchema, ProjectSchema, RecentProjectSchema, TrainingConfigSchema } from './project.ts';
import { GanRunSummarySchema, GanSpecSchema, GanTrainingConfigSchema } from './gan.ts';


export const ImageDatasetScanSchema = z.object({
  kind: z.literal('image-folder'),
  root: z.string(),
  /** A flat folder's labels CSV (as given; a GAN does not use it), or null for a folder per class. */
  labelsCsv: z.string().nullable(),
  /** `gan` when scanned for a GAN (one set of every image, labels unused); absent for a classifier. */
  purpose: DataPurposeSchema.optional(),
  classes: z.array(z.object({
    name: z.string(),
    count: z.number().int().nonnegative(),
    /** A few small PNG thumbnails as data: URLs. */
    thumbnails: z.array(z.string()),
  })),
  total: z.number().int().nonnegative(),
  /** Files that will not be used, each with why. */
  skipped: z.array(z.object({ file: z.string(), reason: z.string() })),
  /** Defaults derived from the images: the most common size (capped) and channel count. */
  suggested: z.object({ imageSize: z.tuple([z.number().int(), z.number().int()]), channels: z.union([z.literal(1), z.literal(3)]) }),
});
export type ImageDatasetScan = z.infer<typeof ImageDatasetScanSchema>;

/** A CSV: its columns as the import reads them, and the column that looks like the target. */
export const TableDatasetScanSchema = z.object({
  kind: z.literal('csv-table'),
  root: z.string(),
  rows: z.number().int(),
  columns: z.array(ColumnProfileSchema),
  suggestedTarget: z.string().nullable(),
  skipped: z.array(z.object({ file: z.string(), reason: z.string() })),
});

/** Texts: per class counts, and for a CSV the columns chosen for text and label. */
export const TextDatasetScanSchema = z.object({
  kind: z.literal('text'),
  root: z.string(),
  source: z.enum(['folder', 'csv']),
  classes: z.array(z.object({ name: z.string(), count: z.number().int() })),
  total: z.number().int(),
  skipped: z.array(z.object({ file: z.string(), reason: z.string() })),
  /** Tokens per text (median, 95th percentile): what the sequence length should cover. */
  lengths: z.object({ median: z.number(), p95: z.number() }),
});

/** What a chosen path holds, before anything is trained: the window's Data panel shows it. */
export const DatasetScanSchema = z.discriminatedUnion('kind', [ImageDatasetScanSchema, TableDatasetScanSchema, TextDatasetScanSchema]);
export type DatasetScan = z.infer<typeof DatasetScanSchema>;

/** A dataset as the model will see it: what the Input must be and what the output predicts. */
export const DatasetShapeSchema = z.object({
  sampleShape: z.array(z.number().int()),
  targets: TargetsSchema,
  counts: z.object({ train: z.number().int(), validation: z.number().int(), test: z.number().int() }),
  skipped: z.number().int(),
});
export type DatasetShape = z.infer<typeof DatasetShapeSchema>;

export const TemplateInfoSchema = z.object({ id: z.string(), title: z.string(), description: z.string() });

export const FsListingSchema = z.object({
  path: z.string(),
  parent: z.string().nullable(),
  entries: z.array(z.object({ name: z.string(), kind: z.enum(['dir', 'file']) })),
});

/** Every command: request schema → response schema. Main validates both sides. */
export const commands = {
  'engine.doctor': { args: z.object({}), result: DoctorReportSchema },
  'templates.list': { args: z.object({}), result: z.array(TemplateInfoSchema) },
  'templates.get': {
    args: z.object({
      id: z.string(), inputShape: z.array(z.number().int().positive()).optional(), classes: z.number().int().min(1).optional(),
      task: z.enum(['classification', 'regression']).optional(), vocabSize: z.number().int().min(10).optional(),
    }),
    result: ModelSpecSchema,
  },
  'fs.list': { args: z.object({ path: z.string().optional() }), result: FsListingSchema },
  /**
   * An existing model (tfjs model.json, Keras .keras / .h5, or Keras model.to_json()) as an
   * editable graph; its weights, when the file has them, are kept in a folder training can start from.
   */
  'model.import': {
    args: z.object({ path: z.string() }),
    result: z.object({ spec: ModelSpecSchema, weights: z.string().nullable(), notes: z.array(z.string()) }),
  },
  /** The user's block library (shared by all projects on this machine). */
  'library.blocks': { args: z.object({}), result: z.record(LayerNameSchema, BlockDefSchema) },
  'library.saveBlock': { args: z.object({ name: LayerNameSchema, block: BlockDefSchema }), result: z.object({ path: z.string() }) },
  'dialog.openFolder': { args: z.object({ title: z.string().optional() }), result: z.object({ path: z.string().nullable() }) },
  /**
   * Looks at a folder or CSV: its kind (images, table, texts) and what is in it. `labelsCsv` labels a flat image folder;
   * `purpose: 'gan'` reads an image folder as a GAN does (every image, any layout, labels unused).
   */
  'dataset.scan': {
    args: z.object({ path: z.string().min(1), labelsCsv: z.string().optional(), kind: z.enum(['csv-table', 'text']).optional(), purpose: DataPurposeSchema.optional() }),
    result: DatasetScanSchema,
  },
  /** The health report (reads every file; on demand): duplicates, leakage, imbalance, skipped files; `purpose` as for the scan. */
  'dataset.health': { args: z.object({ data: DataConfigSchema, purpose: DataPurposeSchema.optional() }), result: DataHealthReportSchema },
  /** Loads a table, text or series dataset as training would and says what the model's ends must be. */
  'dataset.shape': { args: z.object({ data: DataConfigSchema }), result: DatasetShapeSchema },
  /** A few training images, each shown as loaded and then augmented several times (PNG data: URLs). */
  'dataset.augmentPreview': {
    args: z.object({ data: ImageDataConfigSchema, images: z.number().int().min(1).max(8).default(4), variants: z.number().int().min(1).max(8).default(5) }),
    result: z.array(z.object({ file: z.string(), original: z.string(), augmented: z.array(z.string()) })),
  },
  'project.open': { args: z.object({ path: z.string().min(1) }), result: z.object({ path: z.string(), project: ProjectSchema }) },
  'project.save': { args: z.object({ path: z.string().min(1), project: ProjectSchema }), result: z.object({ path: z.string() }) },
  'train.start': {
    args: z.object({
      spec: ModelSpecSchema, data: DataConfigSchema, training: TrainingConfigSchema, runsDir: z.string().optional(),
      /** Transfer learning: a weights folder (an imported model's) the run starts from, matched by layer name. */
      initialWeights: z.string().min(1).optional(),
    }),
    result: z.object({ runId: z.string(), runDir: z.string() }),
  },
  'train.stop': { args: z.object({ runId: z.string() }), result: z.object({ stopping: z.boolean() }) },
  /** Continues a stopped, failed or interrupted run from its checkpoint (same folder and log). */
  'train.resume': { args: z.object({ runId: z.string() }), result: z.object({ runId: z.string(), runDir: z.string() }) },
  /** The runs in the runs folder, newest first. */
  /** Runs of the host's runs folder and of every project runs folder used or named (`runsDir`). */
  'runs.list': { args: z.object({ runsDir: z.string().optional() }), result: z.array(RunSummarySchema) },
  /** Settings, data, graph and curves of a few runs, to overlay and compare. */
  'runs.details': { args: z.object({ runIds: z.array(z.string()).min(1).max(8) }), result: z.array(RunDetailsSchema) },
  'runs.update': { args: z.object({ runId: z.string(), name: z.string().max(200).optional(), note: z.string().max(5000).optional() }), result: RunSummarySchema },
  'runs.delete': { args: z.object({ runId: z.string() }), result: z.object({ deleted: z.literal(true) }) },
  /** Trains one run per combination of settings, one after another (see SweepSpecSchema). */
  'sweep.start': {
    args: z.object({ spec: ModelSpecSchema, data: DataConfigSchema, training: TrainingConfigSchema, sweep: SweepSpecSchema, runsDir: z.string().optional() }),
    result: z.object({ sweepId: z.string(), trials: z.number().int() }),
  },
  'sweep.status': { args: z.object({ sweepId: z.string() }), result: SweepStatusSchema },
  /** Stops the trial in progress and skips the rest. */
  'sweep.stop': { args: z.object({ sweepId: z.string() }), result: z.object({ stopping: z.boolean() }) },
  /** Pauses a run between two batches (the engine keeps it loaded), or resumes it. */
  'train.pause': { args: z.object({ runId: z.string(), paused: z.boolean() }), result: z.object({ paused: z.boolean() }) },
  'run.samples': {
    args: z.object({ runId: z.string(), count: z.number().int().min(1).max(64).default(12) }),
    result: z.array(RunSampleSchema),
  },
  /** Image runs: each chosen method's map of the predicted class over one input. */
  'explain.run': {
    args: z.object({ runId: z.string(), input: ExplainInputSchema, methods: z.array(ExplainMethodSchema).min(1), options: ExplainOptionsSchema.prefault({}) }),
    result: ExplanationSchema,
  },
  /** The model-randomisation check of one method's map on one input (Adebayo et al. 2018). */
  'explain.sanity': {
    args: z.object({ runId: z.string(), input: ExplainInputSchema, method: ExplainMethodSchema, options: ExplainOptionsSchema.prefault({}) }),
    result: SanityCheckSchema,
  },
  /** Table and text runs: Integrated Gradients per column or per token. */
  'explain.features': { args: z.object({ runId: z.string(), input: FeatureExplainInputSchema }), result: FeatureExplanationSchema },
  /** Metrics, confusion matrix and curves of a run on one of its splits or on other data (saved in the run folder). */
  'evaluate.run': { args: z.object({ runId: z.string(), source: EvaluationSourceSchema }), result: EvaluationSchema },
  /** The samples behind a confusion-matrix cell (most confident first), from the saved evaluation. */
  'evaluate.examples': {
    args: z.object({ runId: z.string(), source: EvaluationSourceSchema, actual: z.number().int().optional(), predicted: z.number().int().optional(), limit: z.number().int().min(1).max(200).default(24) }),
    result: z.array(EvaluationExampleSchema),
  },
  /**
   * Writes the run's checkpoint in a format (tfjs folder, .onnx, .keras, a Python training
   * script folder, an HTML model card) and proves it: the consuming runtime loads it and
   * predicts the run's validation inputs like Strata does.
   */
  'export.run': {
    args: z.object({ runId: z.string(), format: ExportFormatSchema, out: z.string().min(1), distributed: z.boolean().default(false) }),
    result: ExportResultSchema,
  },

  // ── GANs: a generator and a discriminator trained in turns (contract/gan.ts) ──────────
  /** Starts a GAN run on an image folder (every image of it, labels unused); follow it with the gan.events stream. */
  'gan.start': {
    args: z.object({ gan: GanSpecSchema, data: ImageDataConfigSchema, training: GanTrainingConfigSchema, runsDir: z.string().optional() }),
    result: z.object({ runId: z.string(), runDir: z.string() }),
  },
  /** Stops a GAN run after its current step; the last epoch's checkpoint is kept. */
  'gan.stop': { args: z.object({ runId: z.string() }), result: z.object({ stopping: z.boolean() }) },
  /** The GAN runs of the host's runs folder and of `runsDir`, newest first. */
  'gan.runs': { args: z.object({ runsDir: z.string().optional() }), result: z.array(GanRunSummarySchema) },
  /** Writes `count` PNGs made by a GAN run's generator to the folder `out` (as `strata generate`). */
  'gan.generate': {
    args: z.object({ runId: z.string(), count: z.number().int().min(1).max(10_000), out: z.string().min(1), seed: z.number().int().min(0).max(2 ** 31 - 1).default(1) }),
    result: z.object({ files: z.array(z.string()), epoch: z.number().int() }),
  },

  // ── Project files: autosave backups, recent projects, native file dialogs ──────────────
  // (project.open / project.save above read and write the file itself.)
  /** Autosaves unsaved edits of the project at `path` (null: never saved) to a backup in the config folder. */
  'project.backup': { args: z.object({ path: z.string().min(1).nullable(), project: ProjectSchema }), result: z.object({ savedAt: z.string() }) },
  /** The newest autosave backup left by a window that did not save (a crash), to offer on launch; null if none. */
  'project.pendingBackup': { args: z.object({}), result: z.object({ backup: ProjectBackupSchema.nullable(), skipped: z.array(z.string()) }) },
  /** Deletes the backup of `path` (null: the never-saved project): the edits were discarded or saved. */
  'project.discardBackup': { args: z.object({ path: z.string().min(1).nullable() }), result: z.object({ discarded: z.boolean() }) },
  /** Recently opened or saved projects, most recent first (files that are gone are left out). */
  'projects.recent': { args: z.object({}), result: z.array(RecentProjectSchema) },
  /** Electron: the native "Open project" dialog. The web host answers NOT_AVAILABLE (the window draws its own chooser). */
  'dialog.openProject': { args: z.object({ title: z.string().optional() }), result: z.object({ path: z.string().nullable() }) },
  /** Electron: the native "Save project as" dialog, starting at `defaultPath`. */
  'dialog.saveProject': { args: z.object({ title: z.string().optional(), defaultPath: z.string().optional() }), result: z.object({ path: z.string().nullable() }) },
} as const;

export type CommandName = keyof typeof commands;
export type CommandArgs<C extends CommandName> = z.input<(typeof commands)[C]['args']>;
export type CommandResult<C extends CommandName> = z.infer<(typeof commands)[C]['result']>;
