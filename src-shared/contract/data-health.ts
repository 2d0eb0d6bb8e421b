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
  splits: z.array(z.enum(['train', 'validation'])),
  /** Its files are in more than one class: the same picture labelled differently. */
  crossClass: z.boolean(),
});

export const DataHealthReportSchema = z.object({
  root: z.string(),
  kind: z.literal('image-folder'),
  split: z.object({ validationSplit: z.number(), seed: z.number().int() }),
  classes: z.array(z.object({ name: z.string(), count: z.number().int(), train: z.number().int(), validation: z.number().int() })),
  total: z.number().int(),
  /** Largest class ÷ smallest non-empty class (1 = balanced). */
  imbalance: z.number(),
  skipped: z.array(z.object({ file: z.string(), reason: z.string() })),
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
  findings: z.array(z.object({ severity: z.enum(['error', 'warning', 'info']), message: z.string() })),
});
export type DataHealthReport = z.infer<typeof DataHealthReportSchema>;
