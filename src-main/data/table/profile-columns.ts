import type { ColumnProfile } from '../../../src-shared/contract/data-health.ts';
import { isMissing, parseNumber, type CsvTable } from './read-csv.ts';

/**
 * What each column of a table holds, the way a person would sort it: numbers, a few
 * repeated categories, free text, or nothing. Numbers with only a handful of distinct whole
 * values (a 0/1 flag, a 1–5 rating) are numeric but flagged `fewValues`, because as a target
 * they usually mean classes.
 */
export function profileColumns(table: CsvTable): ColumnProfile[] {
  return table.columns.map((name, c) => profileColumn(name, table.rows.map((r) => r[c]!)));
}

export function profileColumn(name: string, values: readonly string[]): ColumnProfile {
  const present = values.filter((v) => !isMissing(v)).map((v) => v.trim());
  const counts = new Map<string, number>();
  for (const v of present) counts.set(v, (counts.get(v) ?? 0) + 1);
  const top = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 12).map(([value, count]) => ({ value, count }));
  const base = { name, missing: values.length - present.length, unique: counts.size, constant: counts.size === 1, top };
  if (present.length === 0) return { ...base, type: 'empty', constant: true, numeric: null };

  const numbers = present.map(parseNumber);
  if (numbers.every((n) => n !== null)) {
    const xs = numbers as number[];
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    for (const x of xs) { min = Math.min(min, x); max = Math.max(max, x); sum += x; }
    const mean = sum / xs.length;
    const std = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length);
    const fewValues = counts.size <= 10 && xs.every(Number.isInteger);
    return { ...base, type: 'numeric', numeric: { min, max, mean, std, fewValues } };
  }
  const meanLength = present.reduce((s, v) => s + v.length, 0) / present.length;
  // Free text: long values that rarely repeat (reviews, descriptions), not labels.
  const isText = meanLength > 30 && counts.size > 0.5 * present.length;
  return { ...base, type: isText ? 'text' : 'categorical', numeric: null };
}

/** The column most likely to be the target: named like one, else the last column. */
export function suggestTarget(profiles: readonly ColumnProfile[]): string | null {
  const usable = profiles.filter((p) => p.type === 'numeric' || p.type === 'categorical');
  const named = usable.find((p) => /^(target|label|labels|class|y|outcome|species|survived)$/i.test(p.name));
  return (named ?? usable[usable.length - 1])?.name ?? null;
}

/** Classification when the target is categorical or has few whole-number values; regression otherwise. */
export function inferTask(profile: ColumnProfile): 'classification' | 'regression' {
  return profile.type === 'numeric' && !profile.numeric?.fewValues ? 'regression' : 'classification';
}
