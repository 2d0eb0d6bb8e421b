import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { chartEpochs, type BatchPoint, type EpochPoint } from '../state/training-session.ts';

const COLORS = { batch: '#5a6b85', train: '#4c8dff', val: '#f0a04b' };

/**
 * Loss and accuracy, live (two cells of the caller's `.charts` grid). The x axis is progress in epochs, so the per-batch curve and
 * the per-epoch points (train and validation) share one scale: epoch 2 ends at x = 2.
 */
export function TrainingCharts({ batches, epochs, totalEpochs }: { batches: BatchPoint[]; epochs: EpochPoint[]; totalEpochs: number }) {
  const xMax = chartEpochs(batches, epochs, totalEpochs);
  return (
    <>
      <MetricChart title="Loss" testId="chart-loss" batches={batches} epochs={epochs} totalEpochs={xMax} train="loss" val="val_loss" />
      <MetricChart title="Accuracy" testId="chart-acc" batches={batches} epochs={epochs} totalEpochs={xMax} train="acc" val="val_acc" percent />
    </>
  );
}

function MetricChart({ title, testId, batches, epochs, totalEpochs, train, val, percent }: {
  title: string; testId: string; batches: BatchPoint[]; epochs: EpochPoint[]; totalEpochs: number;
  train: 'loss' | 'acc'; val: 'val_loss' | 'val_acc'; percent?: boolean;
}) {
  const last = epochs.at(-1);
  const fmt = (v: unknown): string => (typeof v === 'number' ? (percent ? `${(v * 100).toFixed(1)} %` : v.toFixed(4)) : '—');
  return (
    <figure className="chart" data-testid={testId} data-epoch-count={epochs.length}>
      <figcaption>
        <span>{title}</span>
        {last && (
          <span className="chart-latest">
            train <b>{fmt(last[train])}</b> · val <b>{fmt(last[val])}</b>
          </span>
        )}
      </figcaption>
      <div className="chart-area">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart margin={{ top: 6, right: 12, bottom: 0, left: -8 }}>
            <CartesianGrid stroke="#2e3238" strokeDasharray="3 3" />
            <XAxis
              type="number" dataKey="x" domain={[0, Math.max(1, totalEpochs)]} allowDecimals={false} tickCount={Math.min(totalEpochs, 10) + 1}
              stroke="#8b919a" fontSize={11} tickLine={false}
            />
            <YAxis
              stroke="#8b919a" fontSize={11} tickLine={false} width={48}
              domain={percent ? [0, 1] : [0, 'auto']} tickFormatter={(v: number) => (percent ? `${Math.round(v * 100)}%` : String(Math.round(v * 100) / 100))}
            />
            <Tooltip
              contentStyle={{ background: '#1f2226', border: '1px solid #3a3f46', fontSize: 12 }}
              labelFormatter={(x) => `epoch ${typeof x === 'number' ? x.toFixed(2) : String(x)}`}
              formatter={(v) => fmt(v)}
            />
            <Legend wrapperStyle={{ fontSize: 11 }} iconSize={10} />
            <Line data={batches} dataKey={train} name="train (per batch)" stroke={COLORS.batch} dot={false} strokeWidth={1} isAnimationActive={false} connectNulls />
            <Line data={epochs} dataKey={train} name="train (epoch)" stroke={COLORS.train} strokeWidth={2} dot={{ r: 3 }} isAnimationActive={false} connectNulls />
            <Line data={epochs} dataKey={val} name="validation" stroke={COLORS.val} strokeWidth={2} strokeDasharray="5 3" dot={{ r: 3 }} isAnimationActive={false} connectNulls />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
