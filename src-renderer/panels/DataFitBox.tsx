import { updateConfig } from '../../src-shared/graph/graph-edits.ts';
import { formatShape } from '../../src-shared/spec/model-spec.ts';
import { useAppStores, useEditor } from '../state/app-context.tsx';
import { useDataNeeds } from '../state/use-data-needs.ts';
import { dataFit } from './data-fit.ts';

/** Whether the model's two ends fit the data, with one-click fixes when they do not. */
export function DataFitBox() {
  const { editor } = useAppStores();
  const spec = useEditor((s) => s.spec);
  const analysis = useEditor((s) => s.analysis);
  const needs = useDataNeeds();
  const fit = dataFit(spec, analysis, needs);
  if (!fit.wantedShape) return <div className="fit-box"><p className="muted" data-testid="data-shape-pending">Reading the data to size the model…</p></div>;
  const wanted = fit.wantedShape;
  return (
    <div className="fit-box">
      {fit.inputLayer === null ? (
        <p className="warn-text">The model has no Input layer yet.</p>
      ) : fit.inputMatches ? (
        <p className="ok-note" data-testid="data-input-ok">Input {fit.inputLayer} matches the data {formatShape(wanted)}.</p>
      ) : (
        <>
          <p>Input {fit.inputLayer} is {fit.inputShape ? formatShape(fit.inputShape) : 'not set'}; the data is {formatShape(wanted)}.</p>
          <button type="button" className="primary" data-testid="btn-set-input-shape"
            onClick={() => editor.edit((s) => updateConfig(s, fit.inputLayer as string, { shape: [...wanted] }))}>
            Set Input shape from data
          </button>
        </>
      )}
      {!fit.unitsMatch && fit.outputDense && (
        <div className="offer" data-testid="data-units-offer">
          <p>The last layer, {fit.outputDense}, has {fit.outputUnits} units but the data has {fit.classes} {needs.outputWord}.</p>
          <button type="button" data-testid="btn-set-units"
            onClick={() => editor.edit((s) => updateConfig(s, fit.outputDense as string, { units: fit.classes }))}>
            Set {fit.outputDense} units to {fit.classes}
          </button>
        </div>
      )}
      {fit.activationFix && fit.outputDense && (
        <div className="offer" data-testid="data-activation-offer">
          <p>The data asks for numbers (regression), but {fit.outputDense} ends in a probability activation.</p>
          <button type="button" data-testid="btn-set-activation"
            onClick={() => editor.edit((s) => updateConfig(s, fit.outputDense as string, { activation: fit.activationFix }))}>
            Set {fit.outputDense} activation to {fit.activationFix}
          </button>
        </div>
      )}
    </div>
  );
}
