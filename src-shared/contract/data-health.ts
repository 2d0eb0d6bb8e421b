import { z } from 'zod';

/**
 * `strata inspect-data` / the Data panel's health report for an image-folder dataset:
 * what is there, what will be skipped and why, and what is wrong with what is left
 * (imbalance, duplicates, near-duplicates, duplicates that leak across the split).
 */
const FileGroupSchema = z.object({
  /** Files relative to the dataset folder, `<class>/…`. */
  files: z.array(z.string()).min(2),
  /** The splits the files fall in; more than one means the group leaks across the split. */
  splits: z.array(z.enum(['train', 'validation', 'test'])),
  /** Its files are in more than one class: the same picture labelled differently. */
  crossClass: z.boolean(),
});

const FindingSchema = z.object({ severity: z.enum(['error', 'warning', 'info']), message: z.string() });
const SplitSettingsSchema = z.object({ validationSplit: z.number(), testSplit: z.number().default(0), seed: z.number().int() });
const ClassCountSchema = z.object({
  name: z.string(), count: z.number().int(), train: z.number().int(), validation: z.number().int(), test: z.number().int().default(0),
});
const SkippedSchema = z.array(z.object({ file: z.string(), reason: z.string() }));

export const ImageHealthReportSchema = z.object({
  root: z.string(),
  kind: z.literal('image-folder'),
  split: SplitSettingsSchema,
  classes: z.array(ClassCountSchema),
  total: z.number().int(),
  /** Largest class ÷ smallest non-empty class (1 = balanced). */
  imbalance: z.number(),
  skipped: SkippedSchema,
  /** "W×H" → number of images, most common first. */
  sizes: z.array(z.object({ size: z.string(), count: z.number().int() })),
  /** Stored channel layouts: grey, grey+alpha, rgb, rgba (cmyk is converted on load). */
  channels: z.array(z.object({ layout: z.string(), count: z.number().int() })),
  /** Byte-identical files. */
  duplicates: z.array(FileGroupSchema),
  /** Different files that look the same (a perceptual comparison of small thumbnails). */
  /** Mean per-pixel difference of brightness-normalised 16×16 thumbnails (0–255; copies are ~0–4). */
  nearDuplicates: z.array(FileGroupSchema.extend({ distance: z.number().int() })),
  /** Groups above that put the same picture in training and in validation. */
  leakage: z.number().int(),
  /** Plain-language findings, worst first, each saying what to do. */
  findings: z.array(FindingSchema),
});
export type ImageHealthReport = z.infer<typeof ImageHealthReportSchema>;

/** One column of a CSV as the import reads it. */
export const ColumnProfileSchema = z.object({
  name: z.string(),
  type: z.enum(['numeric', 'categorical', 'text', 'empty']),
  missing: z.number().int(),
  unique: z.number().int(),
  /** One value (or none) in every row that has one: it cannot help a model. */
  constant: z.boolean(),
  /** The most common values with their counts (at most 12). */
  top: z.array(z.object({ value: z.string(), count: z.number().int() })),
  numeric: z.object({ min: z.number(), max: z.number(), mean: z.number(), std: z.number(), fewValues: z.boolean() }).nullable(),
});
export type ColumnProfile = z.infer<typeof ColumnProfileSchema>;

/** The report for a CSV (a table or a time series). */
export const TableHealthReportSchema = z.object({
  root: z.string(),
  kind: z.literal('csv-table'),
  rows: z.number().int(),
  delimiter: z.string(),
  columns: z.array(ColumnProfileSchema),
  /** The target the report was made for (chosen or suggested), its task and its distribution. */
  target: z.object({
    column: z.string(),
    task: z.enum(['classification', 'regression']),
    /** Classification: rows per class and per split. */
    classes: z.array(ClassCountSchema),
    /** Regression: a histogram of the values (10 equal-width bins). */
    histogram: z.array(z.object({ from: z.number(), to: z.number(), count: z.number().int() })),
  }).nullable(),
  split: SplitSettingsSchema,
  /** Identical rows (all columns equal), and how many of those straddle the split. */
  duplicateRows: z.number().int(),
  leakage: z.number().int(),
  skipped: SkippedSchema,
  findings: z.array(FindingSchema),
});
export type TableHealthReport = z.infer<typeof TableHealthReportSchema>;

/** The report for texts (a folder per class, or a CSV text column). */
export const TextHealthReportSchema = z.object({
  root: z.string(),
  kind: z.literal('text'),
  split: SplitSettingsSchema,
  classes: z.array(ClassCountSchema),
  total: z.number().int(),
  imbalance: z.number(),
  skipped: SkippedSchema,
  /** Tokens per text: a histogram and the share of texts longer than the sequence length (cut). */
  lengths: z.object({
    histogram: z.array(z.object({ from: z.number().int(), to: z.number().int(), count: z.number().int() })),
    median: z.number(), p95: z.number(), max: z.number().int(),
    sequenceLength: z.number().int(), truncated: z.number(),
  }),
  /** Distinct words in the training texts, and the share of training / validation tokens the vocabulary covers. */
  vocabulary: z.object({ distinct: z.number().int(), vocabSize: z.number().int(), trainCoverage: z.number(), validationCoverage: z.number() }),
  duplicates: z.array(FileGroupSchema),
  leakage: z.number().int(),
  findings: z.array(FindingSchema),
});
export type TextHealthReport = z.infer<typeof TextHealthReportSchema>;

export const DataHealthReportSchema = z.discriminatedUnion('kind', [ImageHealthReportSchema, TableHealthReportSchema, TextHealthReportSchema]);
export type DataHealthReport = z.infer<typeof DataHealthReportSchema>;
