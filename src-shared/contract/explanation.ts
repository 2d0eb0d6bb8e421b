import { z } from 'zod';

/**
 * The five attribution methods for image models and their settings. Pure schemas: the
 * engine computes the maps (src-main/engine/explain), the window and the CLI choose them.
 */
export const ExplainMethodSchema = z.enum(['vanilla', 'smoothgrad', 'integrated-gradients', 'gradcam', 'occlusion']);
export type ExplainMethod = z.infer<typeof ExplainMethodSchema>;

export const EXPLAIN_METHOD_TITLES: Record<ExplainMethod, string> = {
  vanilla: 'Gradient',
  smoothgrad: 'SmoothGrad',
  'integrated-gradients': 'Integrated Gradients',
  gradcam: 'Grad-CAM',
  occlusion: 'Occlusion',
};

/** What Integrated Gradients walks from: an image that carries no evidence. */
export const BaselineSchema = z.enum(['black', 'white', 'blur', 'noise']);

export const ExplainOptionsSchema = z.object({
  smoothgrad: z.object({
    /** Noisy copies averaged (one batch on the engine). */
    samples: z.number().int().min(1).max(200).default(25),
    /** Noise σ as a fraction of the input's value range (Smilkov et al. suggest 0.1–0.2). */
    sigma: z.number().min(0).max(1).default(0.15),
  }).default({ samples: 25, sigma: 0.15 }),
  integratedGradients: z.object({
    /** Riemann steps from the baseline to the input (one batch on the engine). */
    steps: z.number().int().min(1).max(300).default(32),
    baseline: BaselineSchema.default('black'),
  }).default({ steps: 32, baseline: 'black' }),
  gradcam: z.object({
    /** The conv layer whose activations are weighed; the last Conv2D when absent. */
    layer: z.string().min(1).optional(),
  }).default({}),
  occlusion: z.object({
    /** Side of the grey square slid over the image, in input pixels; ~1/7 of the image when absent. */
    patch: z.number().int().min(1).max(512).optional(),
    /** Step between patch positions; half the patch when absent. */
    stride: z.number().int().min(1).max(512).optional(),
  }).default({}),
});
export type ExplainOptions = z.infer<typeof ExplainOptionsSchema>;
export type ExplainOptionsInput = z.input<typeof ExplainOptionsSchema>;

/** A saliency check (Adebayo et al. 2018): the map of the trained model vs one with random weights. */
export const SanityCheckSchema = z.object({
  method: ExplainMethodSchema,
  /** Spearman rank correlation between the two maps: near 1 means the map ignores what the model learned. */
  rankCorrelation: z.number(),
  threshold: z.number(),
  passed: z.boolean(),
  /** The randomised model's map over the input (PNG data: URL). */
  randomisedMap: z.string(),
  verdict: z.string(),
});
export type SanityCheck = z.infer<typeof SanityCheckSchema>;

/** Integrated Gradients for a table model: one bar per source column (one-hot columns summed). */
export const FeatureAttributionSchema = z.object({
  kind: z.literal('features'),
  features: z.array(z.object({ name: z.string(), value: z.string(), attribution: z.number() })),
});
/** Integrated Gradients for a text model: one weight per token of the (truncated) text. */
export const TokenAttributionSchema = z.object({
  kind: z.literal('tokens'),
  tokens: z.array(z.object({ token: z.string(), attribution: z.number(), known: z.boolean() })),
});
export const NonImageAttributionSchema = z.discriminatedUnion('kind', [FeatureAttributionSchema, TokenAttributionSchema]);
export type NonImageAttribution = z.infer<typeof NonImageAttributionSchema>;

/** What to explain in an image run: a validation sample by index, or any image file. */
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
  /** Per method: the heat map alone as a PNG data: URL the size of `image` (shown over it with an opacity slider). */
  maps: z.record(z.string(), z.string()),
  /** Per method: milliseconds the map took on the engine. */
  timings: z.record(z.string(), z.number()),
  /** For Grad-CAM: the conv layer used, and every conv layer that could be chosen. */
  gradcamLayer: z.string().nullable(),
  convLayers: z.array(z.string()),
});
export type Explanation = z.infer<typeof ExplanationSchema>;

/** A validation sample to pick from: images as thumbnails, rows and texts as a line of text. */
export const RunSampleSchema = z.object({
  index: z.number().int(),
  /** What the sample is: a file relative to the dataset (pinnable as a live-saliency probe), `row 12`, ... */
  id: z.string().optional(),
  label: z.string(),
  /** Images: a small PNG data: URL; other kinds: empty. */
  thumbnail: z.string(),
  /** Rows and texts: the sample as a line of text. */
  text: z.string().optional(),
});

/** What to explain in a table or text run: a validation sample, a row of values, or a text. */
export const FeatureExplainInputSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sample'), index: z.number().int().nonnegative(), split: z.enum(['validation', 'test']).default('validation') }),
  z.object({ kind: z.literal('row'), values: z.record(z.string(), z.string()) }),
  z.object({ kind: z.literal('text'), text: z.string().min(1).max(100_000) }),
]);

export const FeatureExplanationSchema = z.object({
  classes: z.array(z.string()),
  probabilities: z.array(z.number()),
  predicted: z.string(),
  attribution: NonImageAttributionSchema,
});
export type FeatureExplanation = z.infer<typeof FeatureExplanationSchema>;
