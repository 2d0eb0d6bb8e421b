import type { CommandResult } from '../../src-shared/contract/commands.ts';
import type { TextDataConfig } from '../../src-shared/contract/data-config.ts';
import { useEditor } from '../state/app-context.tsx';
import { NumberBox, SplitSettings, useSetData } from './data-controls.tsx';

type TextScan = Extract<CommandResult<'dataset.scan'>, { kind: 'text' }>;

export function TextClasses({ scan }: { scan: TextScan }) {
  return (
    <>
      <h3><span data-testid="data-summary">{scan.total} texts in {scan.classes.length} classes</span>
        <span className="muted"> · {scan.source === 'csv' ? 'from a CSV' : 'a folder per class'} · median {scan.lengths.median} words, 95% ≤ {scan.lengths.p95}</span></h3>
      <ul className="class-list">
        {scan.classes.map((c) => (
          <li key={c.name} className="class-card" data-testid={`data-class-${c.name}`}>
            <div className="class-head"><span className="class-name">{c.name}</span><span className="class-count">{c.count}</span></div>
          </li>
        ))}
      </ul>
    </>
  );
}

/** How texts become token ids: the vocabulary size, the sequence length, lower-casing. */
export function TextDataSettings({ data }: { data: TextDataConfig }) {
  const setData = useSetData();
  const loadCount = useEditor((s) => s.loadCount);
  return (
    <>
      <div className="form-row">
        <label htmlFor="data-vocab">Vocabulary</label>
        <NumberBox key={`v${loadCount}`} id="data-vocab" testId="data-vocab" value={data.vocabSize} min={10} max={100_000} onValue={(vocabSize) => setData(data, { vocabSize })} />
        <span className="form-hint muted">most frequent training words</span>
      </div>
      <div className="form-row">
        <label htmlFor="data-seq">Sequence length</label>
        <NumberBox key={`s${loadCount}`} id="data-seq" testId="data-seq" value={data.sequenceLength} min={2} max={4096} onValue={(sequenceLength) => setData(data, { sequenceLength })} />
        <span className="form-hint muted">tokens per text (longer ones are cut)</span>
      </div>
      <div className="form-row">
        <label htmlFor="data-lower">Lower-case</label>
        <input id="data-lower" type="checkbox" checked={data.lowercase} onChange={(e) => setData(data, { lowercase: e.target.checked })} />
      </div>
      <SplitSettings data={data} />
    </>
  );
}
