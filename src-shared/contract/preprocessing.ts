import { z } from 'zod';

/** What the model outputs: one probability per class, or standardised numbers to predict. */
export const TargetsSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('classes'), classes: z.array(z.string()).min(2) }),
  z.object({
    type: z.literal('regression'),
    columns: z.array(z.string()).min(1),
    /** The model predicts (value − mean) / std; predictions are turned back with these. */
    mean: z.array(z.number()),
    std: z.array(z.number()),
  }),
]);
export type Targets = z.infer<typeof TargetsSchema>;

/** A numeric column, standardised with the training split's mean and standard deviation. */
const NumericFeatureSchema = z.object({ column: z.string(), type: z.literal('numeric'), mean: z.number(), std: z.number() });
/** A categorical column, one-hot over the categories seen in the training split (others → all zeros). */
const CategoricalFeatureSchema = z.object({ column: z.string(), type: z.literal('categorical'), categories: z.array(z.string()) });
export const TableFeatureSchema = z.discriminatedUnion('type', [NumericFeatureSchema, CategoricalFeatureSchema]);
export type TableFeature = z.infer<typeof TableFeatureSchema>;

/**
 * How raw inputs become the model's samples, computed on the training split only and saved
 * with each run, so prediction, evaluation and export prepare inputs exactly as training did.
 */
export const PreprocessingSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('image'), imageSize: z.tuple([z.number().int(), z.number().int()]), channels: z.union([z.literal(1), z.literal(3)]) }),
  z.object({ kind: z.literal('table'), features: z.array(TableFeatureSchema), missingNumeric: z.literal('mean') }),
  z.object({
    kind: z.literal('text'),
    /** Token ids: 0 = padding, 1 = unknown word, 2 + i = vocabulary[i]. */
    vocabulary: z.array(z.string()),
    sequenceLength: z.number().int(),
    lowercase: z.boolean(),
  }),
  z.object({
    kind: z.literal('timeseries'),
    features: z.array(NumericFeatureSchema),
    window: z.number().int(),
    horizon: z.number().int(),
  }),
]);
export type Preprocessing = z.infer<typeof PreprocessingSchema>;
