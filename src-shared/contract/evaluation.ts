import { z } from 'zod';

/** What a run is evaluated on: one of its own splits, or another dataset prepared the run's way. */
export const EvaluationSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('split'), split: z.enum(['validation', 'test']) }),
  /** Another image folder (a sub-folder per class, the run's class names) or CSV with the run's columns. */
  z.object({ kind: z.literal('data'), path: z.string().min(1) }),
]);
export type EvaluationSource = z.infer<typeof EvaluationSourceSchema>;

export const ClassMetricsSchema = z.object({
  name: z.string(),
  precision: z.number().nullable(),
  recall: z.number().nullable(),
  f1: z.number().nullable(),
  /** How many samples truly belong to the class. */
  support: z.number().int(),
});

/** A threshold curve for a two-class task, the positive class being the second. */
export const CurvePointSchema = z.object({ x: z.number(), y: z.number(), threshold: z.number() });

/** One evaluated sample: compact, so a confusion matrix of thousands stays small. */
export const EvaluatedSampleSchema = z.object({
  /** Index into the evaluated set (the window asks for examples by it). */
  index: z.number().int(),
  /** What the sample is, for people: a file relative to the dataset, `row 12`, ... */
  id: z.string(),
  actual: z.number().int(),
  predicted: z.number().int(),
  /** Probability of the predicted class. */
  confidence: z.number(),
});

export const ClassificationEvaluationSchema = z.object({
  task: z.literal('classification'),
  runId: z.string(),
  source: EvaluationSourceSchema,
  /** Human description of what was evaluated ("validation split, 120 images"). */
  sourceLine: z.string(),
  dataKind: z.enum(['image-folder', 'csv-table', 'text', 'timeseries']),
  count: z.number().int(),
  classes: z.array(z.string()),
  accuracy: z.number(),
  /** Mean cross-entropy. */
  loss: z.number(),
  topK: z.array(z.object({ k: z.number().int(), accuracy: z.number() })),
  perClass: z.array(ClassMetricsSchema),
  macroF1: z.number(),
  /** confusion[actual][predicted] = count. */
  confusion: z.array(z.array(z.number().int())),
  samples: z.array(EvaluatedSampleSchema),
  /** Two classes only: ROC (x = false positive rate, y = true positive rate) and precision–recall (x = recall, y = precision). */
  binary: z.object({
    positiveClass: z.string(),
    roc: z.array(CurvePointSchema),
    auc: z.number(),
    pr: z.array(CurvePointSchema),
    averagePrecision: z.number(),
  }).nullable(),
  seconds: z.number(),
});

export const RegressionEvaluationSchema = z.object({
  task: z.literal('regression'),
  runId: z.string(),
  source: EvaluationSourceSchema,
  sourceLine: z.string(),
  dataKind: z.enum(['image-folder', 'csv-table', 'text', 'timeseries']),
  count: z.number().int(),
  /** Per target column, in the data's own units (un-standardised). */
  columns: z.array(z.object({ name: z.string(), mse: z.number(), mae: z.number(), r2: z.number() })),
  /** Predicted vs actual of the first column, at most 2,000 points (evenly spaced). */
  points: z.array(z.object({ index: z.number().int(), id: z.string(), actual: z.number(), predicted: z.number() })),
  residualHistogram: z.array(z.object({ from: z.number(), to: z.number(), count: z.number().int() })),
  seconds: z.number(),
});

export const EvaluationSchema = z.discriminatedUnion('task', [ClassificationEvaluationSchema, RegressionEvaluationSchema]);
export type Evaluation = z.infer<typeof EvaluationSchema>;
export type ClassificationEvaluation = z.infer<typeof ClassificationEvaluationSchema>;
export type RegressionEvaluation = z.infer<typeof RegressionEvaluationSchema>;

/** One example behind a confusion-matrix cell: what the window shows when a cell is clicked. */
export const EvaluationExampleSchema = z.object({
  index: z.number().int(),
  id: z.string(),
  /** Image examples: the file itself (absolute), so the window can ask for its saliency. */
  file: z.string().nullable().optional(),
  actual: z.string(),
  predicted: z.string(),
  probabilities: z.array(z.number()),
  /** Images: the input as a PNG data: URL; other kinds: the sample as text (the row's values, the text). */
  preview: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('image'), image: z.string() }),
    z.object({ kind: z.literal('text'), text: z.string() }),
  ]),
});
export type EvaluationExample = z.infer<typeof EvaluationExampleSchema>;
