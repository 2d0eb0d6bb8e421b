import type { ClassificationEvaluation } from '../../src-shared/contract/evaluation.ts';

export interface Cell { actual: number; predicted: number }

/**
 * The confusion matrix, rows = actual class, columns = predicted. Each cell's shade is its
 * share of its row (recall-style), so a weak class stands out however rare it is; the
 * diagonal is green, mistakes red. Clicking a cell opens its examples.
 */
export function ConfusionMatrix({ evaluation, picked, onPick }: { evaluation: ClassificationEvaluation; picked: Cell | null; onPick(cell: Cell): void }) {
  const { classes, confusion } = evaluation;
  const rowTotals = confusion.map((row) => row.reduce((a, b) => a + b, 0));
  const many = classes.length > 12;
  return (
    <div className="confusion-wrap">
      <table className={`confusion${many ? ' is-dense' : ''}`} data-testid="confusion-matrix">
        <thead>
          <tr>
            <th className="corner" title="rows: actual · columns: predicted">actual ╲ predicted</th>
            {classes.map((c) => <th key={c} className="col-head" title={c}><span>{c}</span></th>)}
          </tr>
        </thead>
        <tbody>
          {confusion.map((row, a) => (
            <tr key={classes[a]}>
              <th className="row-head" title={classes[a]}>{classes[a]}</th>
              {row.map((count, p) => {
                const share = rowTotals[a]! > 0 ? count / rowTotals[a]! : 0;
                const isPicked = picked?.actual === a && picked.predicted === p;
                const hue = a === p ? '87, 199, 133' : '224, 93, 111';
                return (
                  <td key={p}>
                    <button
                      type="button" className={`cm-cell${isPicked ? ' is-picked' : ''}${count === 0 ? ' is-empty' : ''}`}
                      style={{ background: count === 0 ? undefined : `rgba(${hue}, ${0.12 + 0.78 * share})` }}
                      disabled={count === 0} onClick={() => onPick({ actual: a, predicted: p })}
                      title={`actual ${classes[a]}, predicted ${classes[p]}: ${count} (${(share * 100).toFixed(1)} % of ${classes[a]})`}
                      data-testid={`cm-cell-${a}-${p}`} data-count={count}
                    >
                      {count}
                    </button>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Per-class precision, recall, F1 and support, sortable by clicking a heading. */
export function PerClassTable({ evaluation, sortBy, onSort }: { evaluation: ClassificationEvaluation; sortBy: 'name' | 'precision' | 'recall' | 'f1' | 'support'; onSort(k: 'name' | 'precision' | 'recall' | 'f1' | 'support'): void }) {
  const rows = [...evaluation.perClass].sort((a, b) => {
    if (sortBy === 'name') return 0;
    const x = a[sortBy] ?? -1;
    const y = b[sortBy] ?? -1;
    return sortBy === 'support' ? y - x : x - y; // weakest first: what needs attention
  });
  const fmt = (v: number | null): string => (v === null ? '—' : v.toFixed(3));
  return (
    <table className="column-table per-class" data-testid="per-class-table">
      <thead>
        <tr>
          {(['name', 'precision', 'recall', 'f1', 'support'] as const).map((k) => (
            <th key={k}><button type="button" className={`link-button${sortBy === k ? ' is-sorted' : ''}`} onClick={() => onSort(k)} data-testid={`per-class-sort-${k}`}>{k === 'name' ? 'class' : k}</button></th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.name} data-testid={`per-class-${r.name}`}>
            <td className="mono">{r.name}</td>
            <td className="num">{fmt(r.precision)}</td>
            <td className="num">{fmt(r.recall)}</td>
            <td className="num">{fmt(r.f1)}</td>
            <td className="num">{r.support}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
