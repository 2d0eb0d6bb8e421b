import type { CommandResult } from '../../src-shared/contract/commands.ts';
import {
  TableDataConfigSchema, TimeSeriesDataConfigSchema, type TableDataConfig, type TimeSeriesDataConfig,
} from '../../src-shared/contract/data-config.ts';
import { useAppStores, useEditor } from '../state/app-context.tsx';
import { NumberBox, SplitSettings, useSetData } from './data-controls.tsx';

type TableScan = Extract<CommandResult<'dataset.scan'>, { kind: 'csv-table' }>;
type Role = 'feature' | 'target' | 'ignore';

/**
 * A CSV: how to read it (a table of independent rows, or a time series of ordered rows),
 * each column's role (feature, target, ignore) next to its type and missing values, the
 * task, and for a series the window and horizon.
 */
export function TableDataSettings({ data, scan, part, onReadAsText }: {
  data: TableDataConfig | TimeSeriesDataConfig; scan: TableScan; part: 'options' | 'columns'; onReadAsText(): void;
}) {
  const { editor } = useAppStores();
  const setData = useSetData();
  const loadCount = useEditor((s) => s.loadCount);
  const split = { validationSplit: data.validationSplit, testSplit: data.testSplit, seed: data.seed };
  const readAs = (kind: 'csv-table' | 'timeseries' | 'text'): void => {
    if (kind === 'text') { onReadAsText(); return; }
    if (kind === data.kind) return;
    editor.setData(kind === 'timeseries'
      ? TimeSeriesDataConfigSchema.parse({ ...split, kind, path: data.path, target: data.target })
      : TableDataConfigSchema.parse({ ...split, kind, path: data.path, target: data.target }));
  };
  const roleOf = (column: string): Role => {
    if (column === data.target) return 'target';
    if (data.kind === 'csv-table') return data.ignore.includes(column) ? 'ignore' : 'feature';
    return data.features.length === 0 || data.features.includes(column) ? 'feature' : 'ignore';
  };
  const setRole = (column: string, role: Role): void => {
    if (role === 'target') {
      if (data.kind === 'csv-table') setData(data, { target: column, ignore: data.ignore.filter((c) => c !== column) });
      else setData(data, { target: column });
      return;
    }
    if (data.kind === 'csv-table') {
      const others = data.ignore.filter((c) => c !== column);
      setData(data, { ignore: role === 'ignore' ? [...others, column] : others });
    } else {
      const numeric = scan.columns.filter((c) => c.type === 'numeric' && !c.constant).map((c) => c.name);
      const current = data.features.length === 0 ? numeric : data.features;
      const next = role === 'feature' ? [...new Set([...current, column])] : current.filter((c) => c !== column);
      setData(data, { features: next });
    }
  };
  if (part === 'columns') {
    return (
      <>
        <table className="column-table" data-testid="data-columns">
          <thead><tr><th>column</th><th>type</th><th>missing</th><th>values</th><th>role</th></tr></thead>
          <tbody>
            {scan.columns.map((c) => {
              const role = roleOf(c.name);
              const usable = c.type === 'numeric' || (c.type === 'categorical' && data.kind === 'csv-table');
              return (
                <tr key={c.name} className={role === 'target' ? 'is-target' : ''} data-testid={`data-column-${c.name}`}>
                  <td className="mono">{c.name}</td>
                  <td>{c.type}{c.constant && c.type !== 'empty' ? ' · constant' : ''}</td>
                  <td className="num">{c.missing}</td>
                  <td className="muted">{c.numeric ? `${round(c.numeric.min)} … ${round(c.numeric.max)}` : c.top.slice(0, 3).map((t) => t.value).join(', ')}</td>
                  <td>
                    <select value={role} aria-label={`Role of ${c.name}`} data-testid={`data-role-${c.name}`} onChange={(e) => setRole(c.name, e.target.value as Role)}>
                      <option value="feature" disabled={!usable}>feature</option>
                      <option value="target" disabled={!usable}>target</option>
                      <option value="ignore">ignore</option>
                    </select>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <p className="muted">Numbers are standardised and categories one-hot encoded with statistics from the training rows only.</p>
      </>
    );
  }
  return (
    <>
      <div className="form-row">
        <label htmlFor="data-read-as">Read as</label>
        <select id="data-read-as" value={data.kind} data-testid="data-read-as" onChange={(e) => readAs(e.target.value as 'csv-table' | 'timeseries' | 'text')}>
          <option value="csv-table">a table (each row is a sample)</option>
          <option value="timeseries">a time series (rows in time order)</option>
          {scan.columns.some((c) => c.type === 'text') && <option value="text">texts (a text column and a label column)</option>}
        </select>
      </div>
      {data.kind === 'csv-table' ? (
        <div className="form-row">
          <label htmlFor="data-task">Task</label>
          <select id="data-task" value={data.task ?? 'auto'} data-testid="data-task"
            onChange={(e) => setData(data, { task: e.target.value === 'auto' ? undefined : e.target.value as 'classification' | 'regression' })}>
            <option value="auto">from the target's values</option>
            <option value="classification">classification (categories)</option>
            <option value="regression">regression (a number)</option>
          </select>
        </div>
      ) : (
        <div className="form-row">
          <label htmlFor="data-window">Window</label>
          <span className="param-pair">
            <NumberBox key={`win${loadCount}`} id="data-window" testId="data-window" value={data.window} min={2} max={2000} onValue={(window) => setData(data, { window })} />
            <span className="muted">rows, forecast</span>
            <NumberBox key={`hor${loadCount}`} testId="data-horizon" value={data.horizon} min={1} max={1000} onValue={(horizon) => setData(data, { horizon })} />
            <span className="muted">ahead</span>
          </span>
        </div>
      )}
      <SplitSettings data={data} />
    </>
  );
}

function round(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toPrecision(3);
}
