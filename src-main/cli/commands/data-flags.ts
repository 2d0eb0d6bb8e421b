import path from 'node:path';
import { DataConfigSchema, type DataConfig, type DataKind } from '../../../src-shared/contract/data-config.ts';
import { detectDataKind } from '../../data/dataset-health.ts';
import { profileColumns, suggestTarget } from '../../data/table/profile-columns.ts';
import { readCsv } from '../../data/table/read-csv.ts';
import { UsageError } from '../cli-io.ts';

/** The dataset options `strata inspect-data` and `strata new` share, as parseArgs options. */
export const DATA_FLAG_OPTIONS = {
  kind: { type: 'string' }, target: { type: 'string' }, ignore: { type: 'string' }, task: { type: 'string' },
  labels: { type: 'string' }, 'text-column': { type: 'string' }, 'label-column': { type: 'string' },
  'vocab-size': { type: 'string' }, 'sequence-length': { type: 'string' }, window: { type: 'string' }, horizon: { type: 'string' },
  features: { type: 'string' }, 'validation-split': { type: 'string' }, 'test-split': { type: 'string' }, seed: { type: 'string' },
} as const;
export type DataFlags = Partial<Record<keyof typeof DATA_FLAG_OPTIONS, string>>;

export const DATA_FLAGS_HELP = `  data options: --kind image-folder|csv-table|text|timeseries (default: from the path)
    --validation-split 0.2 --test-split 0 --seed 42
    images: --labels <labels.csv> (a flat folder of images labelled by a CSV of file,label)
    tables: --target <column> [--task classification|regression] [--ignore a,b]
    texts: [--text-column c --label-column c] --vocab-size 10000 --sequence-length 100
    time series: --target <column> [--features a,b] --window 24 --horizon 1`;

const KINDS: readonly DataKind[] = ['image-folder', 'csv-table', 'text', 'timeseries'];
const list = (v: string | undefined) => (v === undefined ? undefined : v.split(',').map((s) => s.trim()).filter(Boolean));
const num = (v: string | undefined, flag: string) => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new UsageError(`${flag} must be a number, not "${v}"`);
  return n;
};

/**
 * A data config from a path and flags: the kind from the flags or from the path (a CSV is
 * a table, a folder of class folders of .txt files is text, …), a table's target suggested
 * when not given. Every value is checked by the same schema the window's settings go through,
 * and a bad one is a usage error naming its flag.
 */
export function dataConfigFromFlags(target: string, flags: DataFlags): DataConfig {
  const where = path.resolve(target);
  if (flags.kind !== undefined && !KINDS.includes(flags.kind as DataKind)) throw new UsageError(`--kind must be one of ${KINDS.join(', ')}, not "${flags.kind}"`);
  const detected = flags.kind ? null : detectDataKind(where);
  const kind = (flags.kind as DataKind | undefined) ?? detected!.kind;
  const column = (kind === 'csv-table' || kind === 'timeseries') ? flags.target ?? suggestTarget(profileColumns(readCsv(where))) ?? undefined : undefined;
  const labelsCsv = flags.labels ?? detected?.labelsCsv ?? null;
  const raw = {
    kind, path: where,
    validationSplit: num(flags['validation-split'], '--validation-split'), testSplit: num(flags['test-split'], '--test-split'), seed: num(flags.seed, '--seed'),
    ...(kind === 'image-folder' && { labels: labelsCsv ? { csv: labelsCsv } : null }),
    ...(kind === 'csv-table' && { target: column, ignore: list(flags.ignore), task: flags.task }),
    ...(kind === 'text' && {
      textColumn: flags['text-column'], labelColumn: flags['label-column'],
      vocabSize: num(flags['vocab-size'], '--vocab-size'), sequenceLength: num(flags['sequence-length'], '--sequence-length'),
    }),
    ...(kind === 'timeseries' && { target: column, features: list(flags.features), window: num(flags.window, '--window'), horizon: num(flags.horizon, '--horizon') }),
  };
  const parsed = DataConfigSchema.safeParse(JSON.parse(JSON.stringify(raw)));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const flag = `--${String(issue.path[0] ?? 'kind').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    const bound = issue.code === 'too_big' ? `must be at most ${String(issue.maximum)}` : issue.code === 'too_small' ? `must be at least ${String(issue.minimum)}` : null;
    throw new UsageError(bound ? `${flag} ${bound}` : `${flag}: ${issue.message}`);
  }
  return parsed.data;
}
