import path from 'node:path';
import type { TableDataConfig } from '../../../src-shared/contract/data-config.ts';
import type { TableHealthReport } from '../../../src-shared/contract/data-health.ts';
import { compareLabels, splitTable } from './load-table-dataset.ts';
import { parseNumber, readCsv } from './read-csv.ts';
import { profileColumns, suggestTarget } from './profile-columns.ts';

type Options = Partial<Pick<TableDataConfig, 'target' | 'task' | 'ignore' | 'validationSplit' | 'testSplit' | 'seed'>>;

/**
 * The health report of a CSV: every column's type, missing values and spread; constant
 * and empty columns; the target's distribution split exactly as training splits it;
 * duplicate rows and those that straddle the split; every skipped row with why. Without a
 * target it reports the columns and suggests one.
 */
export function tableHealth(file: string, options: Options = {}): TableHealthReport {
  const validationSplit = options.validationSplit ?? 0.2;
  const testSplit = options.testSplit ?? 0;
  const seed = options.seed ?? 42;
  const root = path.resolve(file);
  // Read and profiled once: the suggested target and the split both work on this.
  const table = readCsv(root);
  const columns = profileColumns(table);
  const target = options.target ?? suggestTarget(columns);
  const split = target ? splitTable({ path: root, target, task: options.task, validationSplit, testSplit, seed }, { table, profiles: columns }) : null;

  const sideOf = new Map<number, string>();
  if (split) for (const side of ['train', 'validation', 'test'] as const) for (const r of split.sides[side]) sideOf.set(r, side);
  const byContent = new Map<string, number[]>();
  table.rows.forEach((row, r) => { const k = row.join('\u0000'); byContent.set(k, [...(byContent.get(k) ?? []), r]); });
  const dupGroups = [...byContent.values()].filter((g) => g.length > 1);
  const duplicateRows = dupGroups.reduce((n, g) => n + g.length - 1, 0);
  // Rows are split by their content, so exact copies never straddle; this stays 0 unless that changes.
  const leakage = dupGroups.filter((g) => new Set(g.map((r) => sideOf.get(r))).size > 1).length;

  let targetReport: TableHealthReport['target'] = null;
  if (split && target) {
    const t = split.targetIndex;
    if (split.task === 'classification') {
      const counts = new Map<string, { train: number; validation: number; test: number }>();
      for (const side of ['train', 'validation', 'test'] as const) {
        for (const r of split.sides[side]) {
          const label = table.rows[r]![t]!.trim();
          const c = counts.get(label) ?? { train: 0, validation: 0, test: 0 };
          c[side]++;
          counts.set(label, c);
        }
      }
      const classes = [...counts.keys()].sort(compareLabels).map((name) => {
        const c = counts.get(name)!;
        return { name, count: c.train + c.validation + c.test, ...c };
      });
      targetReport = { column: target, task: 'classification', classes, histogram: [] };
    } else {
      const values = [...split.sides.train, ...split.sides.validation, ...split.sides.test].map((r) => parseNumber(table.rows[r]![t]!)!);
      targetReport = { column: target, task: 'regression', classes: [], histogram: histogram(values, 10) };
    }
  }
  const report: TableHealthReport = {
    root, kind: 'csv-table', rows: table.rows.length, delimiter: table.delimiter, columns, target: targetReport,
    split: { validationSplit, testSplit, seed }, duplicateRows, leakage, skipped: table.skipped, findings: [],
  };
  report.findings = tableFindings(report, new Set(options.ignore ?? []));
  return report;
}

export function histogram(values: readonly number[], bins: number): Array<{ from: number; to: number; count: number }> {
  if (values.length === 0) return [];
  const min = Math.min(...values);
  const max = Math.max(...values);
  const width = (max - min) / bins || 1;
  const out = Array.from({ length: bins }, (_, i) => ({ from: min + i * width, to: min + (i + 1) * width, count: 0 }));
  for (const v of values) out[Math.min(bins - 1, Math.floor((v - min) / width))]!.count++;
  return out;
}

function tableFindings(r: TableHealthReport, ignored: ReadonlySet<string>): TableHealthReport['findings'] {
  const findings: TableHealthReport['findings'] = [];
  if (!r.target) findings.push({ severity: 'error', message: 'No column can be the target (all are empty or free text). Add a column with the value to predict.' });
  const features = r.columns.filter((c) => c.name !== r.target?.column && !ignored.has(c.name) && (c.type === 'numeric' || c.type === 'categorical') && !c.constant);
  if (r.target && features.length === 0) findings.push({ severity: 'error', message: `No column is left to predict "${r.target.column}" from (the others are ignored, empty, constant or free text). Add feature columns.` });
  if (r.target?.task === 'classification' && r.target.classes.length < 2) {
    findings.push({ severity: 'error', message: `The target "${r.target.column}" has ${r.target.classes.length === 1 ? `only one value ("${r.target.classes[0]!.name}")` : 'no values'}: a classifier needs at least two classes.` });
  }
  const classes = r.target?.classes ?? [];
  if (r.target?.task === 'classification') {
    const tiny = classes.filter((c) => c.count < 2);
    for (const c of tiny.slice(0, 5)) findings.push({ severity: 'warning', message: `Target class "${c.name}" has only ${c.count} row: too few to learn or to validate on.` });
    const counts = classes.map((c) => c.count);
    const ratio = counts.length > 1 ? Math.max(...counts) / Math.min(...counts) : 1;
    if (ratio >= 3) findings.push({ severity: 'warning', message: `The target "${r.target.column}" is imbalanced (${ratio.toFixed(1)}× between its largest and smallest class); expect the model to favour the common classes.` });
    if (classes.length > 50) findings.push({ severity: 'warning', message: `The target "${r.target.column}" has ${classes.length} distinct values; if it is a number to predict, choose regression.` });
  }
  for (const c of r.columns) {
    if (c.name === r.target?.column) continue;
    if (c.type === 'empty') findings.push({ severity: 'warning', message: `Column "${c.name}" is empty; it is left out.` });
    else if (c.constant) findings.push({ severity: 'info', message: `Column "${c.name}" holds one value ("${c.top[0]?.value}") in every row; it cannot help and is left out.` });
    else if (c.type === 'text') findings.push({ severity: 'info', message: `Column "${c.name}" is free text; a table model leaves it out (train a text model on it instead).` });
    else if (c.type === 'categorical' && c.unique > 0.9 * (r.rows - c.missing) && r.rows > 20) findings.push({ severity: 'warning', message: `Column "${c.name}" is different in almost every row (an id?); mark it ignore.` });
    if (c.missing > 0 && c.type !== 'empty') findings.push({ severity: c.missing > 0.3 * r.rows ? 'warning' : 'info', message: `Column "${c.name}" is missing in ${c.missing} of ${r.rows} rows${c.type === 'numeric' ? ' (filled with the training mean)' : ' (encoded as no category)'}.` });
  }
  if (r.duplicateRows > 0) findings.push({ severity: 'info', message: `${r.duplicateRows} row(s) repeat an earlier row exactly; copies always land on the same side of the split.` });
  if (r.leakage > 0) findings.push({ severity: 'error', message: `${r.leakage} set(s) of identical rows straddle the split.` });
  if (r.skipped.length > 0) findings.push({ severity: 'warning', message: `${r.skipped.length} row(s) will be skipped; each is listed with its reason.` });
  return findings;
}
