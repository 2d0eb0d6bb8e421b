import { z } from 'zod';
import { ModelSpecSchema } from '../spec/model-spec.ts';
import { StoredDataConfigSchema } from './data-config.ts';
import { EarlyStoppingSchema, ScheduleSchema } from './training-schedule.ts';

export const OptimizerSchema = z.enum(['adam', 'sgd', 'rmsprop', 'adagrad']);

export const TrainingConfigSchema = z.object({
  epochs: z.number().int().min(1).max(10_000).default(5),
  batchSize: z.number().int().min(1).max(8192).default(32),
  learningRate: z.number().positive().max(1e6).default(0.001),
  optimizer: OptimizerSchema.default('adam'),
  /** How the learning rate changes from epoch to epoch. */
  schedule: ScheduleSchema.default({ kind: 'constant' }),
  /**
   * Seeds the initial weights, the shuffle and dropout: the same seed on the same engine
   * trains the same curve. Absent: a fresh seed per run (recorded in run.json, so any run
   * can be repeated).
   */
  seed: z.number().int().min(1).max(2 ** 31 - 1).optional(),
  /**
   * `balanced` weighs each class's training loss by n / (classes × its count), so a rare
   * class counts as much as a common one (Keras' class_weight, sklearn's "balanced").
   * Validation loss stays unweighted. Classification only.
   */
  classWeights: z.enum(['none', 'balanced']).default('none'),
  /** Stop when a metric stops improving (null: train every epoch). */
  earlyStopping: EarlyStoppingSchema.nullable().default(null),
});
export type TrainingConfig = z.infer<typeof TrainingConfigSchema>;

export const PROJECT_VERSION = 1;

/** `project.strata.json`: the graph, where its data is, and how to train it. */
export const ProjectSchema = z.object({
  schemaVersion: z.literal(PROJECT_VERSION),
  kind: z.literal('strata-project'),
  name: z.string().min(1),
  model: ModelSpecSchema,
  data: StoredDataConfigSchema.nullable().default(null),
  training: TrainingConfigSchema.default(TrainingConfigSchema.parse({})),
});
export type Project = z.infer<typeof ProjectSchema>;
