import { z } from 'zod';
import { ModelSpecSchema } from '../spec/model-spec.ts';

/** How a folder of images (one sub-folder per class) becomes tensors. */
export const ImageDataConfigSchema = z.object({
  kind: z.literal('image-folder').default('image-folder'),
  /** The dataset folder; relative paths in a project file are relative to that file. */
  path: z.string().min(1),
  imageSize: z.tuple([z.number().int().min(4).max(512), z.number().int().min(4).max(512)]).default([28, 28]),
  channels: z.union([z.literal(1), z.literal(3)]).default(1),
  validationSplit: z.number().min(0.05).max(0.5).default(0.2),
  seed: z.number().int().default(42),
});
export type ImageDataConfig = z.infer<typeof ImageDataConfigSchema>;

export const OptimizerSchema = z.enum(['adam', 'sgd', 'rmsprop', 'adagrad']);

export const TrainingConfigSchema = z.object({
  epochs: z.number().int().min(1).max(10_000).default(5),
  batchSize: z.number().int().min(1).max(8192).default(32),
  learningRate: z.number().positive().max(10).default(0.001),
  optimizer: OptimizerSchema.default('adam'),
});
export type TrainingConfig = z.infer<typeof TrainingConfigSchema>;

export const PROJECT_VERSION = 1;

/** `project.strata.json`: the graph, where its data is, and how to train it. */
export const ProjectSchema = z.object({
  schemaVersion: z.literal(PROJECT_VERSION),
  kind: z.literal('strata-project'),
  name: z.string().min(1),
  model: ModelSpecSchema,
  data: ImageDataConfigSchema.nullable().default(null),
  training: TrainingConfigSchema.default(TrainingConfigSchema.parse({})),
});
export type Project = z.infer<typeof ProjectSchema>;
