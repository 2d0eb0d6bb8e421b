import { useState } from 'react';
import type { CommandResult } from '../../src-shared/contract/commands.ts';
import { AugmentationSchema, type Augmentation, type ImageDataConfig } from '../../src-shared/contract/data-config.ts';
import { errorMessage, useClient } from '../client/client-context.tsx';
import { useSetData } from './data-controls.tsx';

type Preview = CommandResult<'dataset.augmentPreview'>;
type RangeField = Exclude<keyof Augmentation, 'flip'>;

const RANGES: ReadonlyArray<{ field: RangeField; label: string; max: number; step: number; show(v: number): string }> = [
  { field: 'rotation', label: 'Rotation', max: 45, step: 5, show: (v) => `± ${v}°` },
  { field: 'zoom', label: 'Zoom', max: 0.3, step: 0.05, show: (v) => `± ${Math.round(v * 100)} %` },
  { field: 'translation', label: 'Shift', max: 0.3, step: 0.05, show: (v) => `± ${Math.round(v * 100)} %` },
  { field: 'brightness', label: 'Brightness', max: 0.3, step: 0.05, show: (v) => `± ${Math.round(v * 100)} %` },
  { field: 'contrast', label: 'Contrast', max: 0.5, step: 0.05, show: (v) => `± ${Math.round(v * 100)} %` },
];

/**
 * Augmentation: random flips, turns, zooms, shifts, brightness and contrast applied to
 * training batches only, as the model trains. The preview grid shows a few images the
 * way training will see them, so a setting that destroys the picture is caught before a run.
 */
export function AugmentationSettings({ data }: { data: ImageDataConfig }) {
  const client = useClient();
  const setData = useSetData();
  const [preview, setPreview] = useState<Preview | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const aug = data.augmentation ?? AugmentationSchema.parse({});
  const set = (patch: Partial<Augmentation>): void => setData(data, { augmentation: { ...aug, ...patch } });

  const showPreview = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      setPreview(await client.invoke('dataset.augmentPreview', { data, images: 4, variants: 5 }));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="augmentation" data-testid="augmentation">
      <h3>
        <label className="check-row">
          <input type="checkbox" checked={data.augmentation !== null} data-testid="aug-enabled"
            onChange={(e) => setData(data, { augmentation: e.target.checked ? aug : null })} />
          Augment training images
        </label>
      </h3>
      {data.augmentation && (
        <>
          <div className="form-row">
            <label htmlFor="aug-flip">Flip</label>
            <select id="aug-flip" value={aug.flip} data-testid="aug-flip" onChange={(e) => set({ flip: e.target.value as Augmentation['flip'] })}>
              <option value="none">none</option>
              <option value="horizontal">left ↔ right</option>
              <option value="vertical">top ↕ bottom</option>
              <option value="both">both</option>
            </select>
          </div>
          {RANGES.map((r) => (
            <div className="form-row" key={r.field}>
              <label htmlFor={`aug-${r.field}`}>{r.label}</label>
              <input id={`aug-${r.field}`} type="range" min={0} max={r.max} step={r.step} value={aug[r.field]} data-testid={`aug-${r.field}`}
                onChange={(e) => set({ [r.field]: Number(e.target.value) })} />
              <span className="form-hint mono">{r.show(aug[r.field])}</span>
            </div>
          ))}
          <button type="button" onClick={() => void showPreview()} disabled={busy} data-testid="btn-aug-preview">{busy ? 'Preparing…' : preview ? 'Preview again' : 'Preview'}</button>
          {error && <div className="error-box" role="alert">{error}</div>}
          {preview && (
            <table className="aug-grid" data-testid="aug-grid">
              <tbody>
                {preview.map((row) => (
                  <tr key={row.file} title={row.file}>
                    <td className="aug-original"><img src={row.original} alt={`${row.file} as loaded`} /></td>
                    {row.augmented.map((src, i) => <td key={i}><img src={src} alt={`${row.file} augmented ${i + 1}`} /></td>)}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <p className="muted">Applied to training batches only; validation and test images are never changed.</p>
        </>
      )}
    </section>
  );
}
