import { z } from 'zod';

/**
 * How a dataset on disk becomes tensors, one schema per kind of data people actually have:
 * images (a sub-folder per class, or a flat folder plus a CSV of labels), a CSV table, texts
 * (a sub-folder per class, or a CSV text column) and an ordered CSV read as a time series.
 * Relative paths in a project file are relative to that file.
 */

/** train / validation / test fractions and the seed that fixes each sample's side. */
const splitFields = {
  validationSplit: z.number().min(0.05).max(0.5).default(0.2),
  /** 0 = no test split. Test samples are never trained on nor used for early decisions. */
  testSplit: z.number().min(0).max(0.4).default(0),
  seed: z.number().int().default(42),
};

/** Random changes applied to training batches only (never to validation or test). */
export const AugmentationSchema = z.object({
  flip: z.enum(['none', 'horizontal', 'vertical', 'both']).default('none'),
  /** Up to ± this many degrees. */
  rotation: z.number().min(0).max(180).default(0),
  /** Scale by 1 ± this fraction. */
  zoom: z.number().min(0).max(0.5).default(0),
  /** Shift by up to ± this fraction of the width and height. */
  translation: z.number().min(0).max(0.5).default(0),
  /** Add up to ± this to every pixel (pixels are 0–1). */
  brightness: z.number().min(0).max(0.5).default(0),
  /** Scale the distance from the image's mean by 1 ± this fraction. */
  contrast: z.number().min(0).max(0.9).default(0),
});
export type Augmentation = z.infer<typeof AugmentationSchema>;

/**
 * What an image folder is read for. `classifier` (the default): labels from class sub-folders
 * or a labels CSV, at least two classes. `gan`: labels are not used — the images are one set:
 * every image under the folder (flat, in one sub-folder or in one per class), or, when a
 * labels CSV is given, the images it lists.
 */
export const DataPurposeSchema = z.enum(['classifier', 'gan']);
export type DataPurpose = z.infer<typeof DataPurposeSchema>;

export const ImageLabelsCsvSchema = z.object({
  /** A CSV with one row per image: a file name (relative to the image folder) and its label. */
  csv: z.string().min(1),
  /** Defaults: a column named file/filename/image/path, and one named label/class/target. */
  fileColumn: z.string().optional(),
  labelColumn: z.string().optional(),
});

export const ImageDataConfigSchema = z.object({
  kind: z.literal('image-folder'),
  path: z.string().min(1),
  /** Labels from a CSV instead of sub-folder names (a flat folder of images). */
  labels: ImageLabelsCsvSchema.nullable().default(null),
  imageSize: z.tuple([z.number().int().min(4).max(512), z.number().int().min(4).max(512)]).default([28, 28]),
  channels: z.union([z.literal(1), z.literal(3)]).default(1),
  ...splitFields,
  augmentation: AugmentationSchema.nullable().default(null),
  /**
   * Where decoded samples live while training: `memory`, or `disk` (streamed in batches
   * from the decoded-sample cache). `auto` picks disk when the decoded data would not
   * fit comfortably in memory.
   */
  storage: z.enum(['auto', 'memory', 'disk']).default('auto'),
});
export type ImageDataConfig = z.infer<typeof ImageDataConfigSchema>;

export const TableDataConfigSchema = z.object({
  kind: z.literal('csv-table'),
  /** The CSV file. */
  path: z.string().min(1),
  /** The column to predict. */
  target: z.string().min(1),
  /** Columns that are neither feature nor target (ids, free text, leaks). */
  ignore: z.array(z.string()).default([]),
  /** Absent: classification when the target is categorical (or few whole numbers), else regression. */
  task: z.enum(['classification', 'regression']).optional(),
  ...splitFields,
});
export type TableDataConfig = z.infer<typeof TableDataConfigSchema>;

export const TextDataConfigSchema = z.object({
  kind: z.literal('text'),
  /** A folder with one sub-folder of .txt files per class, or a CSV file. */
  path: z.string().min(1),
  /** For a CSV: the text column and the label column (defaults: text/label-like names). */
  textColumn: z.string().optional(),
  labelColumn: z.string().optional(),
  /** Words kept in the vocabulary (the most frequent in the training split), plus padding and unknown. */
  vocabSize: z.number().int().min(10).max(100_000).default(10_000),
  /** Tokens per sample: longer texts are cut, shorter ones padded with 0. */
  sequenceLength: z.number().int().min(2).max(4096).default(100),
  lowercase: z.boolean().default(true),
  ...splitFields,
});
export type TextDataConfig = z.infer<typeof TextDataConfigSchema>;

export const TimeSeriesDataConfigSchema = z.object({
  kind: z.literal('timeseries'),
  /** A CSV of rows in time order. */
  path: z.string().min(1),
  /** The column to forecast. */
  target: z.string().min(1),
  /** Input columns (numeric); empty = every numeric column, the target included. */
  features: z.array(z.string()).default([]),
  /** Rows the model sees per sample. */
  window: z.number().int().min(2).max(2000).default(24),
  /** How many rows after the window's last row the forecast is for. */
  horizon: z.number().int().min(1).max(1000).default(1),
  /** Time series split in time order: the last rows validate (and test); a random split would leak the future. */
  validationSplit: splitFields.validationSplit,
  testSplit: splitFields.testSplit,
  seed: splitFields.seed,
});
export type TimeSeriesDataConfig = z.infer<typeof TimeSeriesDataConfigSchema>;

export const DataConfigSchema = z.discriminatedUnion('kind', [
  ImageDataConfigSchema, TableDataConfigSchema, TextDataConfigSchema, TimeSeriesDataConfigSchema,
]);
export type DataConfig = z.infer<typeof DataConfigSchema>;

/** Files written before there were several kinds (project files, run.json) have no `kind`: they are image folders. */
export const StoredDataConfigSchema = z.preprocess(
  (v) => (v && typeof v === 'object' && !Array.isArray(v) && !('kind' in v) ? { ...v, kind: 'image-folder' } : v),
  DataConfigSchema,
);
export type DataKind = DataConfig['kind'];
