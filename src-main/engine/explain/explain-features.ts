import path from 'node:path';
import type { FeatureExplanation, NonImageAttribution } from '../../../src-shared/contract/explanation.ts';
import { StrataError } from '../../strata-error.ts';
import { readRunRecord } from '../train/run-store.ts';
import { explainTableRow, explainText } from './feature-attribution.ts';

export type FeatureInput =
  | { kind: 'sample'; index: number; split?: 'validation' | 'test' }
  | { kind: 'row'; values: Record<string, string> }
  | { kind: 'text'; text: string };

/**
 * Integrated Gradients for a table or text run, whatever the input: one of its samples, a
 * row of values, or a text. The run's kind decides which explainer applies; an input that
 * does not fit the kind is refused with what to give instead.
 */
export async function explainFeatures(runDir: string, input: FeatureInput): Promise<FeatureExplanation> {
  const kind = readRunRecord(path.resolve(runDir)).data.kind;
  let result: { predicted: string; probabilities: number[]; classes: string[]; attribution: NonImageAttribution };
  if (kind === 'csv-table') {
    if (input.kind === 'text') throw new StrataError('WRONG_INPUT', 'This run trained on a CSV table: explain one of its samples or a row of column values, not a text.');
    result = await explainTableRow(runDir, input.kind === 'sample' ? { rowIndex: input.index, split: input.split ?? 'validation' } : input.values);
  } else if (kind === 'text') {
    if (input.kind === 'row') throw new StrataError('WRONG_INPUT', 'This run trained on texts: explain one of its samples or a text, not a row of values.');
    result = await explainText(runDir, input.kind === 'sample' ? { sampleIndex: input.index, split: input.split ?? 'validation' } : input.text);
  } else if (kind === 'image-folder') {
    throw new StrataError('WRONG_RUN_KIND', 'This run trained on images: explain it with the image methods (gradient, SmoothGrad, Integrated Gradients, Grad-CAM, occlusion).');
  } else {
    throw new StrataError('WRONG_RUN_KIND', 'Attributions for time-series runs are not available yet; evaluate the run to see its predicted-vs-actual and residuals.');
  }
  return { classes: result.classes, probabilities: result.probabilities, predicted: result.predicted, attribution: result.attribution };
}
