import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { GanBatchPoint, GanEpochPoint } from '../state/gan-session.ts';
import { chartEpochs } from '../state/training-session.ts';

const COLORS = { d: '#4c8dff', g: '#f0a04b', dBatch: '#3b5683', gBatch: '#7a5a34', real: '#57c785', fake: '#e06c75' };
const TOOLTIP_STYLE = { background: '#1f2226', border: '1px solid #3a3f46', fontSize: 12 };

/**
 * A GAN's two curves, live (two cells of the caller's `.charts` grid): both networks' losses
 * per batch and as epoch means, and how often the discriminator was right on real and on
 * generated images. The x axis is progress in epochs, as in the classifier's charts.
 */
export function GanCharts({ batches, epochs, totalEpochs }: { batches: GanBatchPoint[]; epochs: GanEpochPoint[]; totalEpochs: number }) {
  const xMax = chartEpochs(batches, epochs, totalEpochs);
  const last = epochs.at(-1);
  const num = (v: unknown): string => (typeof v === 'number' ? v.toFixed(4) : '—');
  const pct = (v: unknown): string => (typeof v === 'number' ? `${(v * 100).toFixed(1)} %` : '—');
  const axis = <XAxis type="number" dataKey="x" domain={[0, Math.max(1, xMax)]} allowDecimals={false} tickCount={Math.min(xMax, 10) + 1} stroke="#8b919a" fontSize={11} tickLine={false} />;
  const label = (x: unknown): string => `epoch ${typeof x === 'number' ? x.toFixed(2) : String(x)}`;
  return (
    <>
      <figure className="chart" data-testid="chart-gan-loss" data-epoch-count={epochs.length} data-batch-count={batches.length}
        title="D: the discriminator's loss on real and generated images; G: the generator's loss (how well it fooled D). Thin lines per batch, dots per epoch.">
        <figcaption>
          <span>Loss</span>
          {last && <span className="chart-latest">D <b>{num(last.d_loss)}</b> · G <b>{num(last.g_loss)}</b></span>}
        </figcaption>
        <div className="chart-area">
          <ResponsiveContainer width="100%" height="100%">
            <LineChart margin={{ top: 6, right: 12, bottom: 0, left: -8 }}>
              <CartesianGrid stroke="#2e3238" strokeDasharray="3 3" />
              {axis}
              <YAxis stroke="#8b919a" fontSize={11} tickLine={false} width={48} domain={[0, 'auto']} tickFormatter={(v: number) => String(Math.round(v * 100) / 100)} />
              <Tooltip contentStyle={TOOLTIP_STYLE} labelFormatter={label} formatter={(v) => num(v)} />
              <Legend wrapperStyle={{ fontSize: 11 }} iconSize={10} />
              <Line data={batches} dataKey="d_loss" name="D (batch)" stroke={COLORS.dBatch} dot={false} strokeWidth={1} isAnimationActive={false} connectNulls />
              <Line data={batches} dataKey="g_loss" name="G (batch)" stroke={COLORS.gBatch} dot={false} strokeWidth={1} isAnimationActive={false} connectNulls />
              <Line data={epochs} dataKey="d_loss" name="D (epoch)" stroke={COLORS.d} strokeWidth={2} dot={{ r: 3 }} isAnimationActive={false} connectNulls />
              <Line data={epochs} dataKey="g_loss" name="G (epoch)" stroke={COLORS.g} strokeWidth={2} dot={{ r: 3 }} isAnimationActive={false} connectNulls />
            </LineChart>
          </ResponsiveContainer>
        </div>
      </figure>
      <figure className="chart" data-testid="chart-gan-acc" data-epoch-count={epochs.length}
        title="Share of real images the discriminator called real, and of generated images it called fake (p > 0.5). Both near 50 % late in training: the generator fools it.">
        <figcaption>
          <span>D accuracy</span>
          {last && <span className="chart-latest">real <b>{pct(last.d_acc_real)}</b> · fake <b>{pct(last.d_acc_fake)}</b></span>}
        </figcaption>
        <div className="chart-area">
          <ResponsiveContainer width="100%" height="100%">
            <LineChart margin={{ top: 6, right: 12, bottom: 0, left: -8 }}>
              <CartesianGrid stroke="#2e3238" strokeDasharray="3 3" />
              {axis}
              <YAxis stroke="#8b919a" fontSize={11} tickLine={false} width={48} domain={[0, 1]} tickFormatter={(v: number) => `${Math.round(v * 100)}%`} />
              <Tooltip contentStyle={TOOLTIP_STYLE} labelFormatter={label} formatter={(v) => pct(v)} />
              <Legend wrapperStyle={{ fontSize: 11 }} iconSize={10} />
              <Line data={epochs} dataKey="d_acc_real" name="on real" stroke={COLORS.real} strokeWidth={2} dot={{ r: 3 }} isAnimationActive={false} />
              <Line data={epochs} dataKey="d_acc_fake" name="on generated" stroke={COLORS.fake} strokeWidth={2} strokeDasharray="5 3" dot={{ r: 3 }} isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
        </div>
      </figure>
    </>
  );
}
