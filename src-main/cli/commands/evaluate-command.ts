import type { ClassificationEvaluation, EvaluationSource, RegressionEvaluation } from '../../../src-shared/contract/evaluation.ts';
import { evaluateRun } from '../../engine/evaluate/evaluate-run.ts';
import { evaluationFile } from '../../engine/evaluate/evaluation-store.ts';
import { UsageError, type CliIo } from '../cli-io.ts';

export const EVALUATE_HELP = `strata evaluate <runDir> [--split validation|test] [--data <folder|csv>] [--json]
  Evaluates the run's latest checkpoint on its validation split (the default), its test
  split, or other data prepared the run's way (images: a folder per class with the run's
  class names; tables: a CSV with the run's columns; texts: a folder per class or a CSV):
  accuracy, loss, top-k, per-class precision/recall/F1, the confusion matrix and, for two
  classes, ROC AUC and average precision; regression: MSE, MAE and R² in the data's units.
  Saved in <runDir>/evaluations/; --json prints the evaluation as one JSON line.`;

export async function evaluateCommand(args: { runDir: string; split?: string; data?: string; json: boolean }, io: CliIo): Promise<number> {
  if (args.split !== undefined && args.data !== undefined) throw new UsageError('give --split or --data, not both');
  if (args.split !== undefined && args.split !== 'validation' && args.split !== 'test') throw new UsageError(`--split must be validation or test, not "${args.split}"`);
  const source: EvaluationSource = args.data !== undefined
    ? { kind: 'data', path: args.data }
    : { kind: 'split', split: (args.split ?? 'validation') as 'validation' | 'test' };
  const evaluation = await evaluateRun(args.runDir, source);
  if (args.json) {
    io.out(JSON.stringify(evaluation));
    return 0;
  }
  io.out(`${evaluation.runId} on ${evaluation.sourceLine}`);
  for (const line of evaluation.task === 'classification' ? classificationLines(evaluation) : regressionLines(evaluation)) io.out(line);
  io.out(`saved to ${evaluationFile(args.runDir, evaluation.source)} (${evaluation.seconds.toFixed(1)} s)`);
  return 0;
}

const percent = (v: number) => `${(v * 100).toFixed(2)}%`;
const ratio = (v: number | null) => (v === null ? '—' : v.toFixed(3));
/** Five significant digits, without a trail of zeros: errors in the data's units can be any size. */
const value = (v: number) => String(Number(v.toPrecision(5)));

/** Rows of cells as columns: the first left-aligned (names), the rest right-aligned (numbers). */
export function alignedTable(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd());
}

function classificationLines(e: ClassificationEvaluation): string[] {
  const lines = [
    [`accuracy ${percent(e.accuracy)}`, `loss ${e.loss.toFixed(4)}`, ...e.topK.filter((t) => t.k > 1).map((t) => `top-${t.k} ${percent(t.accuracy)}`), `macro F1 ${e.macroF1.toFixed(3)}`].join('   '),
    '',
    ...alignedTable([['class', 'precision', 'recall', 'F1', 'support'], ...e.perClass.map((c) => [c.name, ratio(c.precision), ratio(c.recall), ratio(c.f1), String(c.support)])]),
    '',
    'confusion matrix (rows: actual, columns: predicted)',
    ...alignedTable([['', ...e.classes], ...e.confusion.map((row, a) => [e.classes[a]!, ...row.map(String)])]),
  ];
  if (e.binary) lines.push('', `positive class "${e.binary.positiveClass}": ROC AUC ${e.binary.auc.toFixed(4)}, average precision ${e.binary.averagePrecision.toFixed(4)}`);
  return lines;
}

function regressionLines(e: RegressionEvaluation): string[] {
  return alignedTable([['column', 'MSE', 'MAE', 'R²'], ...e.columns.map((c) => [c.name, value(c.mse), value(c.mae), c.r2.toFixed(4)])]);
}

