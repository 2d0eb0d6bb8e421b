import { useState } from 'react';
import type { DataHealthReport } from '../../src-shared/contract/data-health.ts';
import type { ImageDataConfig } from '../../src-shared/contract/project.ts';
import { errorMessage, useClient } from '../client/client-context.tsx';

/**
 * The dataset's health check, on demand (it reads every file): findings worst first, then
 * the evidence — identical and near-identical pictures (marked when they carry two labels
 * or sit on both sides of the split) and the size and channel histograms.
 */
export function DataHealth({ data }: { data: ImageDataConfig }) {
  const client = useClient();
  const [report, setReport] = useState<DataHealthReport | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const check = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      setReport(await client.invoke('dataset.health', { path: data.path, validationSplit: data.validationSplit, seed: data.seed }));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  const current = report && report.root === data.path && report.split.validationSplit === data.validationSplit ? report : null;
  return (
    <section className="data-health" data-testid="data-health">
      <h3>
        Health check
        <button type="button" onClick={() => void check()} disabled={busy} data-testid="btn-check-health">{busy ? 'Checking…' : current ? 'Check again' : 'Check the data'}</button>
      </h3>
      {error && <div className="error-box" role="alert" data-testid="health-error">{error}</div>}
      {!current && !busy && !error && <p className="muted">Reads every image once: finds copies, near-copies, pictures under two labels, leakage between training and validation, and imbalance.</p>}
      {current && (
        <>
          <ul className="health-findings" data-testid="health-findings">
            {current.findings.length === 0 && <li className="ok-note">No problems found in {current.total} images.</li>}
            {current.findings.map((f, i) => (
              <li key={i} className={`issue issue-${f.severity === 'info' ? 'warning' : f.severity}`} data-severity={f.severity}>{f.message}</li>
            ))}
          </ul>
          <p className="muted" data-testid="health-summary">
            {current.total} images · imbalance {current.imbalance.toFixed(1)}× · {current.duplicates.length} identical set(s) · {current.nearDuplicates.length} near-identical pair(s) · {current.leakage} leaking across the split
          </p>
          <GroupList title="Identical files" groups={current.duplicates} testId="health-duplicates" />
          <GroupList title="Near-identical pictures" groups={current.nearDuplicates} testId="health-near" />
          <p className="muted mono">sizes: {current.sizes.slice(0, 5).map((s) => `${s.size} ×${s.count}`).join(', ')} · channels: {current.channels.map((c) => `${c.layout} ×${c.count}`).join(', ')}</p>
        </>
      )}
    </section>
  );
}

function GroupList({ title, groups, testId }: { title: string; groups: DataHealthReport['duplicates']; testId: string }) {
  if (groups.length === 0) return null;
  return (
    <details className="skipped" data-testid={testId}>
      <summary>{title} ({groups.length})</summary>
      <ul>
        {groups.map((g) => (
          <li key={g.files.join()}>
            <span className="mono">{g.files.join('  =  ')}</span>
            {g.crossClass && <strong className="status-errors"> · different classes</strong>}
            {g.splits.length > 1 && <strong className="status-errors"> · train + validation</strong>}
          </li>
        ))}
      </ul>
    </details>
  );
}
