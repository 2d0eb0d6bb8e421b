import { useState } from 'react';
import { updateConfig } from '../../src-shared/graph/graph-edits.ts';
import { formatShape } from '../../src-shared/spec/model-spec.ts';
import { errorMessage, useClient } from '../client/client-context.tsx';
import { useAppStores, useEditor } from '../state/app-context.tsx';
import { scanDataFolder } from './scan-data-folder.ts';
import { dataFit } from './data-fit.ts';
import { DataHealth } from './DataHealth.tsx';
import { usePathChooser } from './PathChooser.tsx';

/**
 * The data panel: choose a folder of images (one sub-folder per class), see what the scan
 * found, pick the size and colour the model sees, and make the model's ends fit the data.
 */
export function DataPanel() {
  const client = useClient();
  const { editor } = useAppStores();
  const data = useEditor((s) => s.data);
  const scan = useEditor((s) => s.scan);
  const spec = useEditor((s) => s.spec);
  const analysis = useEditor((s) => s.analysis);
  const scanning = useEditor((s) => s.scanning);
  const scanError = useEditor((s) => s.scanError);
  const loadCount = useEditor((s) => s.loadCount);
  const chooser = usePathChooser();
  const [chooseError, setChooseError] = useState<string | null>(null);
  const busy = scanning;
  const error = chooseError ?? scanError;

  const scanFolder = async (path: string): Promise<void> => {
    setChooseError(null);
    await scanDataFolder(client, editor, path);
  };

  const chooseFolder = async (): Promise<void> => {
    try {
      const path = await chooser.choose({ title: 'Choose a dataset folder (one sub-folder per class)', mode: 'folder' });
      if (path) await scanFolder(path);
    } catch (err) {
      setChooseError(errorMessage(err));
    }
  };

  const fit = data ? dataFit(spec, analysis, data, scan ? scan.classes.length : null) : null;

  return (
    <div className="panel data-panel" data-testid="panel-data">
      <div className="panel-toolbar">
        <button type="button" className="primary" onClick={() => void chooseFolder()} disabled={busy} data-testid="btn-choose-data">
          {data ? 'Change folder…' : 'Choose dataset folder…'}
        </button>
        {data && <button type="button" onClick={() => void scanFolder(data.path)} disabled={busy} data-testid="btn-rescan">Rescan</button>}
        <span className="mono path-display" data-testid="data-path" title={data?.path}>{data?.path ?? 'No folder chosen yet: a folder with one sub-folder of images per class.'}</span>
        {busy && <span className="spinner" aria-label="Scanning" />}
      </div>
      {error && <div className="error-box" role="alert" data-testid="data-error"><strong>Could not read the dataset.</strong> {error}</div>}
      {scan && data && (
        <div className="data-grid">
          <section className="data-classes">
            <h3>
              <span data-testid="data-summary">{scan.total} images in {scan.classes.length} classes</span>
            </h3>
            <ul className="class-list">
              {scan.classes.map((c) => (
                <li key={c.name} className="class-card" data-testid={`data-class-${c.name}`}>
                  <div className="class-head"><span className="class-name">{c.name}</span><span className="class-count">{c.count}</span></div>
                  <div className="class-thumbs">{c.thumbnails.slice(0, 4).map((t, i) => <img key={i} src={t} alt="" />)}</div>
                </li>
              ))}
            </ul>
            {scan.skipped.length > 0 && (
              <details className="skipped" data-testid="data-skipped">
                <summary>{scan.skipped.length} file{scan.skipped.length === 1 ? '' : 's'} skipped</summary>
                <ul>{scan.skipped.map((s) => <li key={s.file}><span className="mono">{s.file}</span> — {s.reason}</li>)}</ul>
              </details>
            )}
            <DataHealth data={data} />
          </section>
          <section className="data-settings">
            <h3>What the model sees</h3>
            <div className="form-row">
              <label htmlFor="data-height">Image size</label>
              <span className="param-pair">
                <NumberBox key={`h${loadCount}`} id="data-height" testId="data-height" value={data.imageSize[0]} min={4} max={512}
                  onValue={(h) => editor.setData({ ...data, imageSize: [h, data.imageSize[1]] })} />
                ×
                <NumberBox key={`w${loadCount}`} testId="data-width" value={data.imageSize[1]} min={4} max={512}
                  onValue={(w) => editor.setData({ ...data, imageSize: [data.imageSize[0], w] })} />
                <span className="muted">px</span>
              </span>
              <span className="form-hint muted">suggested {scan.suggested.imageSize.join(' × ')} from the images</span>
            </div>
            <div className="form-row">
              <label htmlFor="data-channels">Colour</label>
              <select id="data-channels" value={data.channels} data-testid="data-channels"
                onChange={(e) => editor.setData({ ...data, channels: Number(e.target.value) === 3 ? 3 : 1 })}>
                <option value={1}>Grayscale (1 channel)</option>
                <option value={3}>RGB (3 channels)</option>
              </select>
            </div>
            <div className="form-row">
              <label htmlFor="data-split">Validation</label>
              <select id="data-split" value={data.validationSplit} data-testid="data-split"
                onChange={(e) => editor.setData({ ...data, validationSplit: Number(e.target.value) })}>
                {[0.1, 0.15, 0.2, 0.25, 0.3].map((v) => <option key={v} value={v}>{Math.round(v * 100)} % held out</option>)}
              </select>
            </div>
            {fit && (
              <div className="fit-box">
                {fit.inputLayer === null ? (
                  <p className="warn-text">The model has no Input layer yet.</p>
                ) : fit.inputMatches ? (
                  <p className="ok-note" data-testid="data-input-ok">Input {fit.inputLayer} matches the data {formatShape(fit.wantedShape)}.</p>
                ) : (
                  <>
                    <p>Input {fit.inputLayer} is {fit.inputShape ? formatShape(fit.inputShape) : 'not set'}; the data is {formatShape(fit.wantedShape)}.</p>
                    <button type="button" className="primary" data-testid="btn-set-input-shape"
                      onClick={() => editor.edit((s) => updateConfig(s, fit.inputLayer as string, { shape: [...fit.wantedShape] }))}>
                      Set Input shape from data
                    </button>
                  </>
                )}
                {!fit.unitsMatch && fit.outputDense && (
                  <div className="offer" data-testid="data-units-offer">
                    <p>The last layer, {fit.outputDense}, has {fit.outputUnits} units but the data has {fit.classes} classes.</p>
                    <button type="button" data-testid="btn-set-units"
                      onClick={() => editor.edit((s) => updateConfig(s, fit.outputDense as string, { units: fit.classes }))}>
                      Set {fit.outputDense} units to {fit.classes}
                    </button>
                  </div>
                )}
              </div>
            )}
          </section>
        </div>
      )}
      {!scan && !error && (
        <div className="panel-empty">
          <p>Point Strata at a folder with one sub-folder per class, e.g. <span className="mono">digits/0/*.png … digits/9/*.png</span>.</p>
        </div>
      )}
      {chooser.element}
    </div>
  );
}

/** A whole-number box that commits only values inside its bounds. */
export function NumberBox({ id, testId, value, min, max, onValue }: { id?: string; testId: string; value: number; min: number; max: number; onValue(v: number): void }) {
  const [draft, setDraft] = useState<string | null>(null);
  const n = draft === null ? value : Number(draft);
  const bad = draft !== null && (!Number.isInteger(n) || n < min || n > max);
  return (
    <input
      id={id} type="text" inputMode="numeric" className={`narrow${bad ? ' invalid' : ''}`} data-testid={testId}
      value={draft ?? String(value)} title={bad ? `a whole number from ${min} to ${max}` : undefined}
      onChange={(e) => {
        setDraft(e.target.value);
        const v = Number(e.target.value);
        if (Number.isInteger(v) && v >= min && v <= max) onValue(v);
      }}
      onBlur={() => { if (!bad) setDraft(null); }}
    />
  );
}
