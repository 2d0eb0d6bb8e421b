import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { EvaluationSchema, type Evaluation, type EvaluationSource } from '../../../src-shared/contract/evaluation.ts';
import { writeFileAtomic } from '../../projects/atomic-write.ts';
import { StrataError } from '../../strata-error.ts';

/**
 * Where a run keeps its evaluations: `<runDir>/evaluations/<name>.json` is the Evaluation as
 * the window and `strata evaluate --json` show it; `<name>.probabilities.json` beside it
 * holds what examples need and the summary leaves out (every sample's probabilities, the
 * folder or CSV the sample ids are relative to, the checkpoint evaluated), so the examples
 * behind a confusion cell are read back instead of predicted again.
 */
export const EVALUATIONS_DIR = 'evaluations';

const EvaluationDetailsSchema = z.object({
  runId: z.string(),
  /** The checkpoint evaluated: a run trained further since has a stale evaluation. */
  checkpointEpoch: z.number().int(),
  root: z.string(),
  /** One row per evaluated sample (classification); empty for regression. */
  probabilities: z.array(z.array(z.number())),
});
export type EvaluationDetails = z.infer<typeof EvaluationDetailsSchema>;

/** `validation`, `test`, or `data-<hash of the absolute path>` for other data. */
export function evaluationName(source: EvaluationSource): string {
  if (source.kind === 'split') return source.split;
  return `data-${createHash('sha256').update(path.resolve(source.path)).digest('hex').slice(0, 12)}`;
}

export function evaluationFile(runDir: string, source: EvaluationSource): string {
  return path.join(runDir, EVALUATIONS_DIR, `${evaluationName(source)}.json`);
}

function detailsFile(runDir: string, source: EvaluationSource): string {
  return path.join(runDir, EVALUATIONS_DIR, `${evaluationName(source)}.probabilities.json`);
}

/** Writes both files atomically, the details first, so a summary on disk always has its details. */
export function saveEvaluation(runDir: string, source: EvaluationSource, evaluation: Evaluation, details: EvaluationDetails): string {
  const file = evaluationFile(runDir, source);
  // Seven significant digits is what a float32 probability holds; more only makes the file bigger.
  const compact = { ...details, probabilities: details.probabilities.map((row) => row.map((p) => Number(p.toPrecision(7)))) };
  writeFileAtomic(detailsFile(runDir, source), JSON.stringify(EvaluationDetailsSchema.parse(compact)));
  writeFileAtomic(file, `${JSON.stringify(EvaluationSchema.parse(evaluation))}\n`);
  return file;
}

function readJson<T>(file: string, schema: z.ZodType<T>): T | null {
  if (!fs.existsSync(file)) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new StrataError('BAD_EVALUATION', `${file} is not valid JSON (${err instanceof Error ? err.message : String(err)}); delete it and evaluate again.`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new StrataError('BAD_EVALUATION', `${file} is not a saved evaluation: ${first?.path.join('.')}: ${first?.message}. Delete it and evaluate again.`);
  }
  return parsed.data;
}

/** The saved evaluation of this source with its details, or null when there is none (or half of one). */
export function readSavedEvaluation(runDir: string, source: EvaluationSource): { evaluation: Evaluation; details: EvaluationDetails } | null {
  const evaluation = readJson(evaluationFile(runDir, source), EvaluationSchema);
  const details = evaluation && readJson(detailsFile(runDir, source), EvaluationDetailsSchema);
  return evaluation && details ? { evaluation, details } : null;
}
