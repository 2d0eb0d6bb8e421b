import { useEffect, useRef, useState } from 'react';
import type { CommandResult } from '../../src-shared/contract/commands.ts';
import { errorMessage, useClient } from '../client/client-context.tsx';

type Report = CommandResult<'engine.doctor'>;

/** What the badge says: never hide which engine trains the model, or how much slower it is. */
export function engineBadgeText(report: Report): { tone: 'ok' | 'warn' | 'error'; text: string } {
  if (report.backend === null) return { tone: 'error', text: 'no engine' };
  if (report.native) return { tone: 'ok', text: 'native TensorFlow' };
  const slower = report.slowdownVsNative === null ? '' : ` — ${report.slowdownVsNative >= 10 ? Math.round(report.slowdownVsNative) : report.slowdownVsNative.toFixed(1)}× slower`;
  return { tone: 'warn', text: `${report.backend} fallback${slower}` };
}

/** The top bar's engine badge (from `engine.doctor`); click it for problems and what to do. */
export function EngineBadge() {
  const client = useClient();
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const wrap = useRef<HTMLSpanElement>(null);

  // A popover closes on a click anywhere else, like every other menu in the window.
  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent): void => { if (!wrap.current?.contains(e.target as Node)) setOpen(false); };
    window.addEventListener('mousedown', onDown);
    return () => window.removeEventListener('mousedown', onDown);
  }, [open]);

  useEffect(() => {
    let alive = true;
    client.invoke('engine.doctor', {}).then((r) => { if (alive) setReport(r); }, (e: unknown) => { if (alive) setError(errorMessage(e)); });
    return () => { alive = false; };
  }, [client]);

  if (error) return <span className="engine-badge tone-error" data-testid="engine-badge" data-backend="none" title={error}>engine unavailable</span>;
  if (!report) return <span className="engine-badge tone-pending" data-testid="engine-badge" data-backend="pending">checking engine…</span>;
  const { tone, text } = engineBadgeText(report);
  return (
    <span className="engine-badge-wrap" ref={wrap}>
      <button
        type="button" className={`engine-badge tone-${tone}`} data-testid="engine-badge" data-backend={report.backend ?? 'none'}
        onClick={() => setOpen((o) => !o)} aria-expanded={open}
      >
        <span className="dot" />{text}
      </button>
      {open && (
        <div className="engine-popover" data-testid="engine-details" role="dialog" aria-label="Engine details">
          <dl>
            <dt>Backend</dt><dd>{report.backend ?? 'none'}{report.forced ? ' (forced)' : ''}</dd>
            <dt>tfjs</dt><dd>{report.tfVersion}</dd>
            {report.libtensorflowVersion && (<><dt>libtensorflow</dt><dd>{report.libtensorflowVersion}</dd></>)}
            <dt>Threads</dt><dd>{report.threads}</dd>
            {report.native && (<><dt>Training</dt><dd data-testid="engine-training">{report.graphEngine ? 'one graph per step' : 'op by op'}</dd></>)}
            <dt>Matmul</dt><dd>{report.matmulGflops.toFixed(1)} GFLOP/s</dd>
          </dl>
          {report.problems.map((p) => (
            <div key={p.code} className={`engine-problem issue-${p.severity}`}>
              <strong>{p.message}</strong>
              <div className="muted">{p.fix}</div>
            </div>
          ))}
        </div>
      )}
    </span>
  );
}
