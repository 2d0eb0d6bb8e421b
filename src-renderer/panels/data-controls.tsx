import { useState } from 'react';
import type { DataConfig } from '../../src-shared/contract/data-config.ts';
import { useAppStores } from '../state/app-context.tsx';

/** A whole-number box that commits only values inside its bounds. */
/** A number typed in a box, taken only once it is valid: whole numbers, or any number with a fractional `step`. */
export function NumberBox({ id, testId, value, min, max, step, onValue }: { id?: string; testId: string; value: number; min: number; max: number; step?: number; onValue(v: number): void }) {
  const [draft, setDraft] = useState<string | null>(null);
  const whole = step === undefined || Number.isInteger(step);
  const ok = (v: number): boolean => Number.isFinite(v) && (!whole || Number.isInteger(v)) && v >= min && v <= max;
  const n = draft === null ? value : Number(draft);
  const bad = draft !== null && (draft.trim() === '' || !ok(n));
  return (
    <input
      id={id} type="text" inputMode={whole ? 'numeric' : 'decimal'} className={`narrow${bad ? ' invalid' : ''}`} data-testid={testId}
      value={draft ?? String(value)} title={bad ? `${whole ? 'a whole number' : 'a number'} from ${min} to ${max}` : undefined}
      onChange={(e) => {
        setDraft(e.target.value);
        const v = Number(e.target.value);
        if (e.target.value.trim() !== '' && ok(v)) onValue(v);
      }}
      onBlur={() => { if (!bad) setDraft(null); }}
    />
  );
}

/** Changes some settings of the current dataset (of whatever kind) in one step. */
export function useSetData(): <D extends DataConfig>(data: D, patch: Partial<D>) => void {
  const { editor } = useAppStores();
  return (data, patch) => editor.setData({ ...data, ...patch });
}

/** Validation and test shares of the split (the seed is in the project file and the CLI). */
export function SplitSettings({ data }: { data: DataConfig }) {
  const setData = useSetData();
  const chronological = data.kind === 'timeseries';
  return (
    <>
      <div className="form-row">
        <label htmlFor="data-split">Validation</label>
        <select id="data-split" value={data.validationSplit} data-testid="data-split"
          onChange={(e) => setData(data, { validationSplit: Number(e.target.value) })}>
          {[0.1, 0.15, 0.2, 0.25, 0.3].map((v) => <option key={v} value={v}>{Math.round(v * 100)} % held out</option>)}
        </select>
      </div>
      <div className="form-row">
        <label htmlFor="data-test-split">Test</label>
        <select id="data-test-split" value={data.testSplit} data-testid="data-test-split"
          onChange={(e) => setData(data, { testSplit: Number(e.target.value) })}>
          {[0, 0.1, 0.15, 0.2].map((v) => <option key={v} value={v}>{v === 0 ? 'none' : `${Math.round(v * 100)} % set aside`}</option>)}
        </select>
        <span className="form-hint muted">{chronological ? 'the latest rows, after validation' : 'never trained on; for the final check'}</span>
      </div>
    </>
  );
}
