import { Bar, BarChart, CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { ClassificationEvaluation, RegressionEvaluation } from '../../src-shared/contract/evaluation.ts';

const AXIS = { stroke: '#8b919a', fontSize: 11, tickLine: false } as const;

/** ROC and precision–recall curves of a two-class task, with AUC and average precision. */
export function BinaryCurves({ binary }: { binary: NonNullable<ClassificationEvaluation['binary']> }) {
  return (
    <div className="charts eval-curves">
      <CurveChart title="ROC" testId="chart-roc" summary={`AUC ${binary.auc.toFixed(3)}`} points={binary.roc} x="false positive rate" y="true positive rate" diagonal />
      <CurveChart title="Precision–recall" testId="chart-pr" summary={`AP ${binary.averagePrecision.toFixed(3)}`} points={binary.pr} x="recall" y="precision" />
      <p className="muted chart-note">positive class: <b>{binary.positiveClass}</b></p>
    </div>
  );
}

function CurveChart({ title, testId, summary, points, x, y, diagonal }: {
  title: string; testId: string; summary: string; points: Array<{ x: number; y: number; threshold: number }>; x: string; y: string; diagonal?: boolean;
}) {
  return (
    <figure className="chart" data-testid={testId} data-points={points.length}>
      <figcaption><span>{title} <span className="muted">· {y} against {x}</span></span><span className="chart-latest">{summary}</span></figcaption>
      <div className="chart-area">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={points} margin={{ top: 6, right: 12, bottom: 14, left: -8 }}>
            <CartesianGrid stroke="#2e3238" strokeDasharray="3 3" />
            <XAxis type="number" dataKey="x" domain={[0, 1]} {...AXIS} label={{ value: x, position: 'insideBottom', offset: -8, fill: '#8b919a', fontSize: 11 }} />
            <YAxis type="number" domain={[0, 1]} {...AXIS} width={40} />
            {diagonal && <ReferenceLine segment={[{ x: 0, y: 0 }, { x: 1, y: 1 }]} stroke="#5a6b85" strokeDasharray="4 4" />}
            <Tooltip contentStyle={{ background: '#1f2226', border: '1px solid #3a3f46', fontSize: 12 }}
              formatter={(v) => (typeof v === 'number' ? v.toFixed(3) : String(v))}
              labelFormatter={(_, payload) => { const p = payload?.[0]?.payload as { threshold?: number } | undefined; return p?.threshold !== undefined ? `threshold ${p.threshold.toFixed(3)}` : ''; }} />
            <Line type="linear" dataKey="y" stroke="#4c8dff" dot={false} strokeWidth={2} isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

/** Regression: predicted against actual (the diagonal is perfect) and the residuals' spread. */
export function RegressionCharts({ evaluation }: { evaluation: RegressionEvaluation }) {
  const values = evaluation.points.flatMap((p) => [p.actual, p.predicted]);
  const lo = values.length ? Math.min(...values) : 0;
  const hi = values.length ? Math.max(...values) : 1;
  const column = evaluation.columns[0]?.name ?? 'value';
  return (
    <div className="charts eval-curves">
      <figure className="chart" data-testid="chart-pred-vs-actual" data-points={evaluation.points.length}>
        <figcaption><span>Predicted vs actual · {column}</span><span className="chart-latest">R² {evaluation.columns[0]?.r2.toFixed(3) ?? '—'}</span></figcaption>
        <div className="chart-area">
          <ResponsiveContainer width="100%" height="100%">
            <ScatterChart margin={{ top: 6, right: 12, bottom: 14, left: -8 }}>
              <CartesianGrid stroke="#2e3238" strokeDasharray="3 3" />
              <XAxis type="number" dataKey="actual" name="actual" domain={[lo, hi]} {...AXIS} tickFormatter={short} />
              <YAxis type="number" dataKey="predicted" name="predicted" domain={[lo, hi]} {...AXIS} width={48} tickFormatter={short} />
              <ReferenceLine segment={[{ x: lo, y: lo }, { x: hi, y: hi }]} stroke="#5a6b85" strokeDasharray="4 4" />
              <Tooltip contentStyle={{ background: '#1f2226', border: '1px solid #3a3f46', fontSize: 12 }} formatter={(v) => (typeof v === 'number' ? short(v) : String(v))} />
              <Scatter data={evaluation.points} fill="#4c8dff" fillOpacity={0.6} isAnimationActive={false} />
            </ScatterChart>
          </ResponsiveContainer>
        </div>
      </figure>
      <figure className="chart" data-testid="chart-residuals">
        <figcaption><span>Residuals (predicted − actual)</span></figcaption>
        <div className="chart-area">
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={evaluation.residualHistogram.map((b) => ({ ...b, mid: (b.from + b.to) / 2 }))} margin={{ top: 6, right: 12, bottom: 0, left: -8 }}>
              <CartesianGrid stroke="#2e3238" strokeDasharray="3 3" />
              <XAxis dataKey="mid" {...AXIS} tickFormatter={short} />
              <YAxis {...AXIS} width={40} allowDecimals={false} />
              <Tooltip contentStyle={{ background: '#1f2226', border: '1px solid #3a3f46', fontSize: 12 }} labelFormatter={(m) => `around ${short(Number(m))}`} />
              <Bar dataKey="count" fill="#f0a04b" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </div>
      </figure>
    </div>
  );
}

function short(v: number): string {
  const a = Math.abs(v);
  return a !== 0 && (a >= 1e5 || a < 1e-2) ? v.toExponential(1) : String(Math.round(v * 100) / 100);
}
