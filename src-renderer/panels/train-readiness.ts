import type { ImageDataConfig } from '../../src-shared/contract/project.ts';
import type { GraphAnalysis } from '../../src-shared/graph/graph-analysis.ts';
import { formatShape, type ModelSpec } from '../../src-shared/spec/model-spec.ts';
import { dataFit } from './data-fit.ts';

/**
 * Why Train is disabled, in words, or null when it can run. Catching a mismatch between
 * the model's ends and the data here saves a run that would fail after loading everything.
 */
export function trainBlocker(spec: ModelSpec, analysis: GraphAnalysis, data: ImageDataConfig | null, classCount: number | null, running: boolean): string | null {
  if (running) return 'A run is in progress.';
  if (analysis.totals.layers === 0) return 'The canvas is empty: add layers or start from a template.';
  const errors = analysis.issues.filter((i) => i.severity === 'error').length;
  if (!analysis.valid) return `The graph has ${errors} error${errors === 1 ? '' : 's'}: fix the red layers first.`;
  if (!data) return 'Choose a dataset folder in the Data tab first.';
  const fit = dataFit(spec, analysis, data, classCount);
  if (!fit.inputMatches) {
    return `The Input shape ${fit.inputShape ? formatShape(fit.inputShape) : '(not set)'} does not match the data ${formatShape(fit.wantedShape)}: use "Set Input shape from data" in the Data tab.`;
  }
  if (!fit.unitsMatch) return `${fit.outputDense} has ${fit.outputUnits} units but the data has ${fit.classes} classes: set its units to ${fit.classes}.`;
  return null;
}
