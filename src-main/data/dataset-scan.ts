import path from 'node:path';
import type { DatasetScan, DatasetShape } from '../../src-shared/contract/commands.ts';
import type { DataConfig, DataPurpose } from '../../src-shared/contract/data-config.ts';
import { detectDataKind } from './dataset-health.ts';
import { scanImageFolder } from './image-folder/scan-image-folder.ts';
import { closeDataset, loadDataset } from './load-dataset.ts';
import { profileColumns, suggestTarget } from './table/profile-columns.ts';
import { readCsv } from './table/read-csv.ts';
import { readTexts } from './text/read-texts.ts';
import { tokenize } from './text/tokenize.ts';

/**
 * What a chosen path holds: an image folder (per class, or flat with a labels CSV), a CSV
 * table (its columns), or texts (a folder per class of .txt files, or a CSV read as texts
 * when `kind: 'text'`). The kind comes from the path unless asked for. For a GAN
 * (`purpose: 'gan'`) an image folder is one set: every image under it in any layout (or the
 * images its labels CSV lists), labels unused.
 */
export async function scanDataset(args: { path: string; labelsCsv?: string; kind?: 'csv-table' | 'text'; purpose?: DataPurpose }): Promise<DatasetScan> {
  const root = path.resolve(args.path);
  const detected = args.labelsCsv ? { kind: 'image-folder' as const, labelsCsv: args.labelsCsv } : detectDataKind(root);
  const kind = args.kind ?? detected.kind;
  if (kind === 'text') {
    const texts = await readTexts({ path: root });
    const lengths = texts.items.map((i) => tokenize(i.text, true).length).sort((a, b) => a - b);
    return {
      kind: 'text', root: texts.root, source: texts.source,
      classes: texts.classes.map((name) => ({ name, count: texts.items.filter((i) => i.label === name).length })),
      total: texts.items.length, skipped: texts.skipped,
      lengths: { median: lengths[Math.floor(lengths.length / 2)] ?? 0, p95: lengths[Math.min(lengths.length - 1, Math.floor(lengths.length * 0.95))] ?? 0 },
    };
  }
  if (kind === 'csv-table' || kind === 'timeseries') {
    const table = readCsv(root);
    const columns = profileColumns(table);
    return { kind: 'csv-table', root, rows: table.rows.length, columns, suggestedTarget: suggestTarget(columns), skipped: table.skipped };
  }
  return scanImageFolder(root, detected.labelsCsv ? { csv: detected.labelsCsv } : null, args.purpose);
}

/** Loads the dataset as training would (without keeping it) and reports its sample shape and targets. */
export async function datasetShape(config: DataConfig): Promise<DatasetShape> {
  const loaded = await loadDataset(config);
  try {
    return {
      sampleShape: loaded.sampleShape, targets: loaded.targets, skipped: loaded.skipped.length,
      counts: { train: loaded.train.count, validation: loaded.validation.count, test: loaded.test.count },
    };
  } finally {
    closeDataset(loaded);
  }
}
