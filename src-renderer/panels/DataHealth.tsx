import { useState } from 'react';
import type { DataConfig, DataPurpose } from '../../src-shared/contract/data-config.ts';
import type { DataHealthReport, ImageHealthReport } from '../../src-shared/contract/data-health.ts';
import { errorMessage, useClient } from '../client/client-context.tsx';

/**
 * The dataset's health check, on demand (it reads everything): findings worst first, then
 * the evidence — for images, identical and near-identical pictures (marked when they carry
 * two labels or sit on both sides of the split) and size and channel histograms; for
 * tables, the target's distribution and duplicate rows; for texts, lengths and vocabulary.
 * An image folder is checked as `purpose` reads it (a GAN: every image, nothing held out).
 */
export function DataHealth({ data, purpose }: { data: DataConfig; purpose: DataPurpose }) {
  const client = useClient();
  const [report, setReport] = useState<{ for: DataConfig; purpose: DataPurpose; report: DataHealthReport } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const check = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      setReport({ for: data, purpose, report: await client.invoke('dataset.health', { data, purpose }) });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  // A report made for other settings (another target, split or folder, or the other kind of project) is not shown as current.
  const current = report && report.for === data && report.purpose === purpose ? report.report : null;
  return (
    <section className="data-health" data-testid="data-health">
      <h3>
        Health check
        <button type="button" onClick={() => void check()} disabled={busy} data-testid="btn-check-health">{busy ? 'Checking…' : current ? 'Check again' : 'Check the data'}</button>
      </h3>
      {error && <div className="error-box" role="alert" data-testid="health-error">{error}</div>}
      {!current && !busy && !error && (
        <p className="muted" data-testid="health-blurb">
          {purpose === 'gan'
            // A GAN has no labels and no split: what matters is copies (learned as often as they repeat) and images it cannot read.
            ? 'Reads every image once: finds identical and near-identical pictures (a GAN learns a repeated picture as often as it repeats), mixed sizes or channels and what will be skipped.'
            : 'Reads all the data once: finds copies, samples under two labels, leakage between training and validation, imbalance, missing values and what will be skipped.'}
        </p>
      )}
      {current && (
        <>
          <ul className="health-findings" data-testid="health-findings">
            {current.findings.length === 0 && <li className="ok-note">No problems found.</li>}
            {current.findings.map((f, i) => (
              <li key={i} className={`issue issue-${f.severity === 'info' ? 'warning' : f.severity}`} data-severity={f.severity}>{f.message}</li>
            ))}
          </ul>
          <p className="muted" data-testid="health-summary">{summaryOf(current, purpose)}</p>
          {current.kind === 'image-folder' && (
            <>
              <GroupList title="Identical files" groups={current.duplicates} testId="health-duplicates" />
              <GroupList title="Near-identical pictures" groups={current.nearDuplicates} testId="health-near" />
              <p className="muted mono">sizes: {current.sizes.slice(0, 5).map((s) => `${s.size} ×${s.count}`).join(', ')} · channels: {current.channels.map((c) => `${c.layout} ×${c.count}`).join(', ')}</p>
            </>
          )}
          {current.kind === 'text' && <GroupList title="Identical texts" groups={current.duplicates} testId="health-duplicates" />}
          {current.kind === 'csv-table' && current.target?.task === 'regression' && (
            <p className="muted mono" data-testid="health-target-histogram">{current.target.column}: {current.target.histogram.map((b) => b.count).join(' · ')} (10 equal bins from {current.target.histogram[0]?.from.toPrecision(3)} to {current.target.histogram.at(-1)?.to.toPrecision(3)})</p>
          )}
        </>
      )}
    </section>
  );
}

function summaryOf(r: DataHealthReport, purpose: DataPurpose): string {
  const skipped = `${r.skipped.length} skipped`;
  if (r.kind === 'image-folder') {
    const copies = `${r.duplicates.length} identical set(s) · ${r.nearDuplicates.length} near-identical pair(s)`;
    // A GAN has no classes and no split: imbalance and leakage mean nothing to it.
    return purpose === 'gan'
      ? `${r.total} images · ${copies} · ${skipped}`
      : `${r.total} images · imbalance ${r.imbalance.toFixed(1)}× · ${copies} · ${r.leakage} leaking across the split · ${skipped}`;
  }
  if (r.kind === 'text') {
    return `${r.total} texts · imbalance ${r.imbalance.toFixed(1)}× · median ${r.lengths.median} tokens, ${Math.round(r.lengths.truncated * 100)}% cut at ${r.lengths.sequenceLength} · vocabulary covers ${Math.round(r.vocabulary.validationCoverage * 100)}% of validation words · ${r.duplicates.length} identical set(s) · ${skipped}`;
  }
  const target = r.target ? `target ${r.target.column} (${r.target.task}${r.target.task === 'classification' ? `, ${r.target.classes.map((c) => `${c.name} ×${c.count}`).join(', ')}` : ''})` : 'no target';
  return `${r.rows} rows · ${r.columns.length} columns · ${target} · ${r.duplicateRows} duplicate row(s) · ${skipped}`;
}

function GroupList({ title, groups, testId }: { title: string; groups: ImageHealthReport['duplicates']; testId: string }) {
  if (groups.length === 0) return null;
  return (
    <details className="skipped" data-testid={testId}>
      <summary>{title} ({groups.length})</summary>
      <ul>
        {groups.map((g) => (
          <li key={g.files.join()}>
            <span className="mono">{g.files.join('  =  ')}</span>
            {g.crossClass && <strong className="status-errors"> · different classes</strong>}
            {g.splits.length > 1 && <strong className="status-errors"> · {g.splits.join(' + ')}</strong>}
          </li>
        ))}
      </ul>
    </details>
  );
}
