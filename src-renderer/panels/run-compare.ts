import type { RunDetails } from '../../src-shared/contract/run-record.ts';

/** One setting that differs between the compared runs: its name and each run's value. */
export interface SettingDiff { key: string; values: string[] }

/** Flattens nested settings to `a.b.c` → printable value. */
function flatten(prefix: string, value: unknown, out: Map<string, string>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(prefix ? `${prefix}.${k}` : k, v, out);
  } else {
    out.set(prefix, value === undefined ? '—' : JSON.stringify(value));
  }
}

/**
 * The training and data settings in which the runs differ (the same keys in every run
 * are left out: a comparison is about what changed). Settings one run lacks show "—".
 */
export function settingsDiff(runs: readonly RunDetails[]): SettingDiff[] {
  const flat = runs.map((r) => {
    const out = new Map<string, string>();
    flatten('training', r.training, out);
    flatten('data', { ...r.data, path: r.data.path }, out);
    out.set('backend', `${r.backend.name}${r.backend.execution ? ` (${r.backend.execution})` : ''}`);
    out.set('data fingerprint', r.datasetFingerprint ?? '—');
    return out;
  });
  const keys = [...new Set(flat.flatMap((m) => [...m.keys()]))].sort();
  return keys
    .map((key) => ({ key, values: flat.map((m) => m.get(key) ?? '—') }))
    .filter((d) => new Set(d.values).size > 1);
}

/** Layers that differ between the runs' graphs: present in some only, or configured differently. */
export function graphDiff(runs: readonly RunDetails[]): SettingDiff[] {
  const layers = runs.map((r) => new Map(r.spec.config.layers.map((l) => [l.name, `${l.class_name} ${JSON.stringify(l.config)} ← ${l.inbound.join(', ') || '—'}`])));
  const names = [...new Set(layers.flatMap((m) => [...m.keys()]))];
  return names
    .map((name) => ({ key: name, values: layers.map((m) => m.get(name) ?? '(not in this run)') }))
    .filter((d) => new Set(d.values).size > 1);
}

/** The rows of an overlay chart: one row per epoch, a column per run (`<runId>`) for `metric`. */
export function overlayRows(runs: readonly RunDetails[], metric: 'loss' | 'acc' | 'val_loss' | 'val_acc'): Array<Record<string, number | null>> {
  const epochs = [...new Set(runs.flatMap((r) => r.history.map((h) => h.epoch)))].sort((a, b) => a - b);
  return epochs.map((epoch) => {
    const row: Record<string, number | null> = { epoch };
    for (const r of runs) row[r.runId] = r.history.find((h) => h.epoch === epoch)?.[metric] ?? null;
    return row;
  });
}
