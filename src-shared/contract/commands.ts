import { z } from 'zod';
import { BlockDefSchema, LayerNameSchema, ModelSpecSchema } from '../spec/model-spec.ts';
import { DataHealthReportSchema } from './data-health.ts';
import { DoctorReportSchema } from './engine-report.ts';
import { ImageDataConfigSchema, ProjectSchema, TrainingConfigSchema } from './project.ts';

/** An error as it crosses any boundary: a stable code, a human message, optional details. */
export const ContractErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  details: z.unknown().optional(),
});
export type ContractError = z.infer<typeof ContractErrorSchema>;

export const DatasetScanSchema = z.object({
  root: z.string(),
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
export type DatasetScan = z.infer<typeof DatasetScanSchema>;

export const TemplateInfoSchema = z.object({ id: z.string(), title: z.string(), description: z.string() });

export const FsListingSchema = z.object({
  path: z.string(),
  parent: z.string().nullable(),
  entries: z.array(z.object({ name: z.string(), kind: z.enum(['dir', 'file']) })),
});

export const ExplainMethodSchema = z.enum(['vanilla', 'gradcam']);
export const ExplainInputSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sample'), index: z.number().int().nonnegative() }),
  z.object({ kind: z.literal('file'), path: z.string().min(1) }),
]);

export const ExplanationSchema = z.object({
  classes: z.array(z.string()),
  probabilities: z.array(z.number()),
  predicted: z.string(),
  /** The true class when the input is a labelled sample. */
  actual: z.string().nullable(),
  /** The input as the model saw it, PNG data: URL at a viewable size. */
  image: z.string(),
  /** Per method: a heat-map overlay PNG (data: URL) the size of `image`. */
  maps: z.record(z.string(), z.string()),
  /** For Grad-CAM: the conv layer used. */
  gradcamLayer: z.string().nullable(),
});
export type Explanation = z.infer<typeof ExplanationSchema>;

export const RunSampleSchema = z.object({ index: z.number().int(), label: z.string(), thumbnail: z.string() });

/** Every command: request schema → response schema. Main validates both sides. */
export const commands = {
  'engine.doctor': { args: z.object({}), result: DoctorReportSchema },
  'templates.list': { args: z.object({}), result: z.array(TemplateInfoSchema) },
  'templates.get': {
    args: z.object({ id: z.string(), inputShape: z.array(z.number().int().positive()).optional(), classes: z.number().int().min(2).optional() }),
    result: ModelSpecSchema,
  },
  'fs.list': { args: z.object({ path: z.string().optional() }), result: FsListingSchema },
  /** An existing model (tfjs model.json or Keras model.to_json()) as an editable graph. */
  'model.import': { args: z.object({ path: z.string() }), result: ModelSpecSchema },
  /** The user's block library (shared by all projects on this machine). */
  'library.blocks': { args: z.object({}), result: z.record(LayerNameSchema, BlockDefSchema) },
  'library.saveBlock': { args: z.object({ name: LayerNameSchema, block: BlockDefSchema }), result: z.object({ path: z.string() }) },
  'dialog.openFolder': { args: z.object({ title: z.string().optional() }), result: z.object({ path: z.string().nullable() }) },
  'dataset.scan': { args: z.object({ path: z.string().min(1) }), result: DatasetScanSchema },
  /** The health report (reads every file; on demand): duplicates, leakage, imbalance, skipped files. */
  'dataset.health': {
    args: z.object({ path: z.string().min(1), validationSplit: z.number().min(0.05).max(0.5), seed: z.number().int() }),
    result: DataHealthReportSchema,
  },
  'project.open': { args: z.object({ path: z.string().min(1) }), result: z.object({ path: z.string(), project: ProjectSchema }) },
  'project.save': { args: z.object({ path: z.string().min(1), project: ProjectSchema }), result: z.object({ path: z.string() }) },
  'train.start': {
    args: z.object({ spec: ModelSpecSchema, data: ImageDataConfigSchema, training: TrainingConfigSchema, runsDir: z.string().optional() }),
    result: z.object({ runId: z.string(), runDir: z.string() }),
  },
  'train.stop': { args: z.object({ runId: z.string() }), result: z.object({ stopping: z.boolean() }) },
  'run.samples': {
    args: z.object({ runId: z.string(), count: z.number().int().min(1).max(64).default(12) }),
    result: z.array(RunSampleSchema),
  },
  'explain.run': {
    args: z.object({ runId: z.string(), input: ExplainInputSchema, methods: z.array(ExplainMethodSchema).min(1) }),
    result: ExplanationSchema,
  },
  'export.tfjs': {
    args: z.object({ runId: z.string(), outDir: z.string().min(1) }),
    result: z.object({ outDir: z.string(), files: z.array(z.string()) }),
  },
} as const;

export type CommandName = keyof typeof commands;
export type CommandArgs<C extends CommandName> = z.input<(typeof commands)[C]['args']>;
export type CommandResult<C extends CommandName> = z.infer<(typeof commands)[C]['result']>;
