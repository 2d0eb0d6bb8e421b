import { formatBytes, formatCount, formatFlops } from '../canvas/graph-view-model.ts';
import { useEditor, useTrainingSession } from '../state/app-context.tsx';

/** Always-visible totals and error count, like an IDE's status bar. */
export function StatusBar() {
  const analysis = useEditor((s) => s.analysis);
  const data = useEditor((s) => s.data);
  const phase = useTrainingSession((s) => s.phase);
  const fraction = useTrainingSession((s) => s.progress?.fraction ?? null);
  // An empty canvas is a starting point, not an error.
  const errors = analysis.totals.layers === 0 ? 0 : analysis.issues.filter((i) => i.severity === 'error').length;
  const warnings = analysis.totals.layers === 0 ? 0 : analysis.issues.length - errors;
  const { totals } = analysis;
  return (
    <footer className="statusbar" data-testid="statusbar">
      <span data-testid="status-layers">{totals.layers} layers</span>
      <span data-testid="status-trainable">{formatCount(totals.trainable)} trainable</span>
      <span data-testid="status-nontrainable">{formatCount(totals.nonTrainable)} non-trainable</span>
      <span data-testid="status-flops" title="forward FLOPs per sample">{formatFlops(totals.flops)}</span>
      <span data-testid="status-memory" title="activation memory per sample (float32)">{formatBytes(totals.activationBytes)} activations</span>
      <span className={errors > 0 ? 'status-errors' : 'status-ok'} data-testid="status-errors" data-count={errors}>
        {errors > 0 ? `● ${errors} error${errors === 1 ? '' : 's'}` : totals.layers > 0 ? '✓ valid' : 'empty'}
      </span>
      {warnings > 0 && <span className="status-warnings" data-testid="status-warnings">▲ {warnings} warning{warnings === 1 ? '' : 's'}</span>}
      <span className="status-spacer" />
      <span className="muted" data-testid="status-data">{data ? `data: ${data.path}` : 'no data chosen'}</span>
      {phase !== 'idle' && (
        <span data-testid="status-training">
          {phase === 'ended' ? 'training ended' : phase === 'stopping' ? 'stopping…' : `training ${fraction === null ? '' : `${Math.round(fraction * 100)}%`}`}
        </span>
      )}
    </footer>
  );
}
