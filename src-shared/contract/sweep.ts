import { z } from 'zod';
import type { ModelSpec } from '../spec/model-spec.ts';
import { seededRandom } from '../util/seeded-random.ts';
import { TrainingConfigSchema, type TrainingConfig } from './project.ts';

const Value = z.union([z.number(), z.string(), z.boolean()]);

/**
 * A sweep: settings to try, each with its candidate values. A key is a training setting
 * (`learningRate`, `batchSize`, `epochs`, `optimizer`) or a layer's parameter
 * (`dense_1.units`, `dropout_1.rate`, `conv2d_1.filters`). `grid` tries every combination;
 * `random` draws `trials` of them with the seed.
 */
export const SweepSpecSchema = z.object({
  mode: z.enum(['grid', 'random']).default('grid'),
  params: z.record(z.string().min(1), z.array(Value).min(1)).refine((p) => Object.keys(p).length > 0, 'name at least one setting to vary'),
  trials: z.number().int().min(1).max(1000).optional(),
  seed: z.number().int().default(1),
  /** What ranks the trials. */
  metric: z.enum(['val_loss', 'val_acc', 'loss']).default('val_loss'),
});
export type SweepSpec = z.infer<typeof SweepSpecSchema>;

const TRAINING_KEYS = new Set(['learningRate', 'batchSize', 'epochs', 'optimizer']);
const MAX_TRIALS = 1000;

export interface SweepTrial {
  /** The values this trial sets, by key. */
  params: Record<string, string | number | boolean>;
  spec: ModelSpec;
  training: TrainingConfig;
}

/** Every combination of the values, in order (the first key varies slowest). */
function combinations(params: SweepSpec['params']): Array<Record<string, string | number | boolean>> {
  return Object.entries(params).reduce<Array<Record<string, string | number | boolean>>>(
    (acc, [key, values]) => acc.flatMap((partial) => values.map((v) => ({ ...partial, [key]: v }))),
    [{}],
  );
}

/** A seeded shuffle so a random sweep draws the same trials every time. */
function shuffled<T>(items: T[], seed: number): T[] {
  const random = seededRandom(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * The trials of a sweep over a base graph and training settings. Throws an Error naming
 * the key when a setting or layer does not exist or a value is not allowed (checked with
 * the same schema as the Train panel), before anything trains.
 */
export function expandSweep(sweep: SweepSpec, spec: ModelSpec, training: TrainingConfig): SweepTrial[] {
  for (const key of Object.keys(sweep.params)) {
    if (TRAINING_KEYS.has(key)) continue;
    const [layer, param] = key.split('.', 2);
    const found = spec.config.layers.find((l) => l.name === layer);
    if (!found || !param) {
      throw new Error(`"${key}" is neither a training setting (${[...TRAINING_KEYS].join(', ')}) nor <layer>.<parameter> of a layer in this graph (${spec.config.layers.map((l) => l.name).join(', ')})`);
    }
    if (!(param in found.config)) throw new Error(`layer "${layer}" (${found.class_name}) has no parameter "${param}"; it has ${Object.keys(found.config).join(', ')}`);
  }
  const all = combinations(sweep.params);
  if (sweep.mode === 'grid' && all.length > MAX_TRIALS) throw new Error(`the grid has ${all.length} combinations; at most ${MAX_TRIALS} (use random with trials)`);
  const picked = sweep.mode === 'grid' ? all : shuffled(all, sweep.seed).slice(0, sweep.trials ?? Math.min(10, all.length));
  return picked.map((params) => {
    const trainingPatch: Record<string, unknown> = {};
    let layers = spec.config.layers;
    for (const [key, value] of Object.entries(params)) {
      if (TRAINING_KEYS.has(key)) { trainingPatch[key] = value; continue; }
      const [layer, param] = key.split('.', 2) as [string, string];
      layers = layers.map((l) => (l.name === layer ? { ...l, config: { ...l.config, [param]: value } } : l));
    }
    const parsed = TrainingConfigSchema.safeParse({ ...training, ...trainingPatch });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Error(`${String(issue.path[0])} = ${JSON.stringify(trainingPatch[String(issue.path[0])])} is not allowed: ${issue.message}`);
    }
    return { params, spec: { ...spec, config: { ...spec.config, layers } }, training: parsed.data };
  });
}

/** One trial of a sweep as the window shows it. */
export const SweepRowSchema = z.object({
  trial: z.number().int(),
  params: z.record(z.string(), Value),
  runId: z.string(),
  runDir: z.string(),
  status: z.string(),
  reason: z.string().nullable(),
  best: z.object({ epoch: z.number().int(), loss: z.number().nullable(), val_loss: z.number().nullable(), val_acc: z.number().nullable() }).nullable(),
});

export const SweepStatusSchema = z.object({
  id: z.string(),
  metric: SweepSpecSchema.shape.metric,
  trials: z.number().int(),
  /** Finished trials, best first. */
  rows: z.array(SweepRowSchema),
  /** The trial training now, if any. */
  current: z.string().nullable(),
  done: z.boolean(),
});
export type SweepStatus = z.infer<typeof SweepStatusSchema>;
