import { useEffect, useRef, useState } from 'react';
import type { DataPurpose } from '../../src-shared/contract/data-config.ts';
import { errorMessage, useClient } from '../client/client-context.tsx';
import { useAppStores, useEditor } from '../state/app-context.tsx';
import { DataFitBox } from './DataFitBox.tsx';
import { DataHealth } from './DataHealth.tsx';
import { ImageClasses, ImageDataSettings } from './ImageDataSettings.tsx';
import { usePathChooser } from './PathChooser.tsx';
import { needsRescan, scanDataFolder, type Rescan } from './scan-data-folder.ts';
import { TableDataSettings } from './TableDataSettings.tsx';
import { TextClasses, TextDataSettings } from './TextDataSettings.tsx';
import { useDataShapeSync } from './use-data-shape-sync.ts';

/**
 * The data panel: choose a dataset — a folder of images (a sub-folder per class, or flat
 * with a labels CSV), a folder of texts, or a CSV (a table, a time series, or texts) — see
 * what the scan found, set how it becomes samples, and make the model's ends fit it.
 */
export function DataPanel() {
  const client = useClient();
  const { editor } = useAppStores();
  const data = useEditor((s) => s.data);
  const scan = useEditor((s) => s.scan);
  const scanning = useEditor((s) => s.scanning);
  const scanError = useEditor((s) => s.scanError);
  const isGan = useEditor((s) => s.gan !== null);
  const shapeError = useDataShapeSync();
  const chooser = usePathChooser();
  const [chooseError, setChooseError] = useState<string | null>(null);
  const error = chooseError ?? scanError;
  const purpose: DataPurpose = isGan ? 'gan' : 'classifier';
  useRescanForPurpose(purpose);

  const scanPath = async (path: string, options: { kind?: 'csv-table' | 'text' } = {}): Promise<void> => {
    setChooseError(null);
    await scanDataFolder(client, editor, path, options);
  };
  const choose = async (): Promise<void> => {
    try {
      const path = await chooser.choose({ title: 'Choose a dataset: a folder of images or texts, or a CSV file', mode: 'data' });
      if (path) await scanPath(path);
    } catch (err) {
      setChooseError(errorMessage(err));
    }
  };
  const matching = scan && data && scan.root === data.path ? scan : null;

  return (
    <div className="panel data-panel" data-testid="panel-data">
      <div className="panel-toolbar">
        <button type="button" className="primary" onClick={() => void choose()} disabled={scanning} data-testid="btn-choose-data">
          {data ? 'Change dataset…' : 'Choose dataset…'}
        </button>
        {data && <button type="button" onClick={() => void scanPath(data.path, data.kind === 'text' ? { kind: 'text' } : {})} disabled={scanning} data-testid="btn-rescan">Rescan</button>}
        {data?.kind === 'text' && scan?.kind === 'text' && scan.source === 'csv' && (
          <button type="button" onClick={() => void scanPath(data.path, { kind: 'csv-table' })} disabled={scanning} data-testid="btn-read-as-table">Read as a table</button>
        )}
        <span className="mono path-display" data-testid="data-path" title={data?.path}>{data?.path ?? 'No dataset chosen yet.'}</span>
        {scanning && <span className="spinner" aria-label="Scanning" />}
      </div>
      {error && <div className="error-box" role="alert" data-testid="data-error"><strong>Could not read the dataset.</strong> {error}</div>}
      {shapeError && <div className="error-box" role="alert" data-testid="data-shape-error"><strong>These settings cannot be trained on yet.</strong> {shapeError}</div>}
      {matching && data && (
        <div className="data-grid">
          <section className="data-classes">
            {matching.kind === 'image-folder' && <ImageClasses scan={matching} gan={isGan} />}
            {matching.kind === 'text' && <TextClasses scan={matching} />}
            {matching.kind === 'csv-table' && <h3><span data-testid="data-summary">{matching.rows} rows, {matching.columns.length} columns</span></h3>}
            {matching.kind === 'csv-table' && (data.kind === 'csv-table' || data.kind === 'timeseries') && (
              <TableDataSettings data={data} scan={matching} part="columns" onReadAsText={() => void scanPath(data.path, { kind: 'text' })} />
            )}
            {matching.skipped.length > 0 && (
              <details className="skipped" data-testid="data-skipped">
                <summary>{skippedSummary(matching.skipped.length, matching.kind === 'csv-table' ? 'row' : 'file')}</summary>
                <ul>{matching.skipped.map((s) => <li key={s.file}><span className="mono">{s.file}</span> — {s.reason}</li>)}</ul>
              </details>
            )}
            <DataHealth data={data} purpose={purpose} />
          </section>
          <section className="data-settings">
            <h3>What the model sees</h3>
            {matching.kind === 'image-folder' && data.kind === 'image-folder' && <ImageDataSettings data={data} scan={matching} gan={isGan} />}
            {data.kind === 'text' && <TextDataSettings data={data} />}
            {matching.kind === 'csv-table' && (data.kind === 'csv-table' || data.kind === 'timeseries') && (
              <TableDataSettings data={data} scan={matching} part="options" onReadAsText={() => void scanPath(data.path, { kind: 'text' })} />
            )}
            {isGan ? (
              // A GAN's ends are not the data's classes: the Train tab checks both networks against these images.
              <div className="fit-box"><p className="muted" data-testid="data-gan-note">A GAN project learns to make images like these (labels are not used); the Train tab checks the generator and the discriminator against their size.</p></div>
            ) : <DataFitBox />}
          </section>
        </div>
      )}
      {!scan && !error && (
        <div className="panel-empty">
          {isGan
            ? <p>Point the GAN at a folder of images of one kind: the images directly in it, or in sub-folders (labels are not used).</p>
            : <p>Point Strata at a dataset: a folder with one sub-folder per class (<span className="mono">digits/0/*.png … digits/9/*.png</span>, or <span className="mono">reviews/pos/*.txt</span>), a flat folder of images with a <span className="mono">labels.csv</span>, or a CSV table.</p>}
        </div>
      )}
      {chooser.element}
    </div>
  );
}

/** Scans the chosen image folder again when the project changes kind under it (a template, an undo); see `needsRescan`. */
function useRescanForPurpose(purpose: DataPurpose): void {
  const client = useClient();
  const { editor } = useAppStores();
  const data = useEditor((s) => s.data);
  const scan = useEditor((s) => s.scan);
  const scanning = useEditor((s) => s.scanning);
  const scanError = useEditor((s) => s.scanError);
  const lastRescan = useRef<Rescan>(null);
  useEffect(() => {
    if (!data || !needsRescan(purpose, { data, scan, scanning, scanError }, lastRescan.current)) return;
    lastRescan.current = { purpose, path: data.path };
    void scanDataFolder(client, editor, data.path, { keepConfig: true });
  }, [client, editor, data, scan, scanning, scanError, purpose]);
}

function skippedSummary(n: number, noun: 'row' | 'file'): string {
  return `${n} ${noun}${n === 1 ? '' : 's'} skipped`;
}
