import { z } from 'zod';
import { ModelSpecSchema } from '../spec/model-spec.ts';
import { StoredDataConfigSchema } from './data-config.ts';
import { EarlyStoppingSchema, ScheduleSchema } from './training-schedule.ts';
import { GanProjectSettingsSchema } from './gan.ts';

export const LiveSaliencySchema = z.object({
  enabled: z.boolean().default(true),
  /**
   * The probe images: files relative to the dataset folder (as the validation split names
   * them) or absolute paths. Empty: one validation image per class, up to four.
   */
  probes: z.array(z.string().min(1)).max(8).default([]),
  /**
   * The share of training time the probes may take (0.05 = 5 %). An epoch's maps are
   * skipped when computing them would take the total over this share; 1 = every epoch.
   */
  budget: z.number().min(0.001).max(1).default(0.05),
});
export type LiveSaliency = z.infer<typeof LiveSaliencySchema>;

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
  /**
   * Image classifiers: at epoch ends the engine computes Grad-CAM and gradient saliency of
   * a few probe images and streams them, so the window can show how attention formed.
   */
  liveSaliency: LiveSaliencySchema.default({ enabled: true, probes: [], budget: 0.05 }),
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
  /**
   * Transfer learning: a folder of weights (an imported model's) that training starts from,
   * matched to layers by name — a replaced head or a new layer starts fresh. Stored relative
   * to the project file. Null: every run starts from random weights.
   */
  weights: z.string().min(1).nullable().default(null),
  /**
   * A GAN project (contract/gan.ts): `model` is then the joined canvas — the generator and
   * the discriminator side by side (graph/gan-canvas.ts) — and these are the alternating
   * loop's settings. Null: a classifier (or regressor) project. Added without a version
   * bump: files written before it lack the key and load as classifier projects (the default).
   */
  gan: GanProjectSettingsSchema.nullable().default(null),
});
export type Project = z.infer<typeof ProjectSchema>;

/**
 * Unsaved edits, autosaved while the person works and offered on the next launch after a
 * crash; deleted once the project is saved. Its paths are absolute (it lives in the config
 * folder, not beside the project).
 */
export const ProjectBackupSchema = z.object({
  /** The project file the edits belong to; null for a project never saved. */
  projectPath: z.string().min(1).nullable(),
  /** When the edits were autosaved (ISO 8601). */
  savedAt: z.string().min(1),
  project: ProjectSchema,
});
export type ProjectBackup = z.infer<typeof ProjectBackupSchema>;

/** One entry of the recent-projects list (most recent first). */
export const RecentProjectSchema = z.object({
  path: z.string().min(1),
  name: z.string(),
  /** When it was last opened or saved (ISO 8601). */
  usedAt: z.string().min(1),
});
export type RecentProject = z.infer<typeof RecentProjectSchema>;
