import { z } from 'zod';

/** What a trained run can be exported as (see the Export dialog and `strata export`). */
export const ExportFormatSchema = z.enum(['tfjs', 'onnx', 'keras', 'python', 'report']);
export type ExportFormat = z.infer<typeof ExportFormatSchema>;

/**
 * Proof that an exported model behaves as Strata's: the runtime that will consume it
 * loaded it in a separate process and predicted the same inputs.
 */
export const ParityResultSchema = z.object({
  format: ExportFormatSchema,
  /** What loaded it, with its version: "onnxruntime-node 1.30.0", "Keras 3.12 (TensorFlow 2.21)", "tfjs-node 4.22 (clean process)". */
  runtime: z.string(),
  /** How many inputs were compared (taken from the run's validation split). */
  samples: z.number().int(),
  /** Largest |Strata − runtime| over every output value; null when the outputs could not be compared (wrong size, NaN, not loaded). */
  maxAbsDiff: z.number().nullable(),
  /** Share of samples whose top class (or, for regression, whose rounded values) agree. */
  argmaxAgreement: z.number(),
  /** Targets met: max abs diff < 1e-4 and agreement 100 %. */
  passed: z.boolean(),
  /** Set when no parity check could run (e.g. no Python with Keras on this machine), saying why. */
  skipped: z.string().nullable(),
});
export type ParityResult = z.infer<typeof ParityResultSchema>;

export const PARITY_TARGETS = { maxAbsDiff: 1e-4, argmaxAgreement: 1 } as const;

export const ExportResultSchema = z.object({
  format: ExportFormatSchema,
  /** The file or folder written. */
  path: z.string(),
  files: z.array(z.string()),
  parity: ParityResultSchema.nullable(),
  /** Anything the user should know: layers mapped approximately, a distributed option, … */
  notes: z.array(z.string()),
});
export type ExportResult = z.infer<typeof ExportResultSchema>;
