import type { DataConfig } from '../../src-shared/contract/data-config.ts';
import type { GraphAnalysis } from '../../src-shared/graph/graph-analysis.ts';
import { formatShape, type ModelSpec } from '../../src-shared/spec/model-spec.ts';
import type { DataNeeds } from '../state/data-needs.ts';
import { dataFit } from './data-fit.ts';

/**
 * Why Train is disabled, in words, or null when it can run. Catching a mismatch between
 * the model's ends and the data here saves a run that would fail after loading everything.
 */
export function trainBlocker(spec: ModelSpec, analysis: GraphAnalysis, data: DataConfig | null, needs: DataNeeds, running: boolean): string | null {
  if (running) return 'A run is in progress.';
  if (analysis.totals.layers === 0) return 'The canvas is empty: add layers or start from a template.';
  const errors = analysis.issues.filter((i) => i.severity === 'error').length;
  if (!analysis.valid) return `The graph has ${errors} error${errors === 1 ? '' : 's'}: fix the red layers first.`;
  if (!data) return 'Choose a dataset in the Data tab first.';
  const fit = dataFit(spec, analysis, needs);
  if (fit.wantedShape && !fit.inputMatches) {
    return `The Input shape ${fit.inputShape ? formatShape(fit.inputShape) : '(not set)'} does not match the data ${formatShape(fit.wantedShape)}: use "Set Input shape from data" in the Data tab.`;
  }
  if (!fit.unitsMatch) return `${fit.outputDense} has ${fit.outputUnits} units but the data has ${fit.classes} ${needs.outputWord}: set its units to ${fit.classes}.`;
  if (fit.activationFix) return `${fit.outputDense} ends in a probability activation, but the data asks for numbers (regression): set its activation to ${fit.activationFix}.`;
  return null;
}
