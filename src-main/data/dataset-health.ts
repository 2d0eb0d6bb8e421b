import fs from 'node:fs';
import path from 'node:path';
import type { DataConfig, DataKind, DataPurpose } from '../../src-shared/contract/data-config.ts';
import type { DataHealthReport } from '../../src-shared/contract/data-health.ts';
import { dataImportErrors } from './data-import-error.ts';
import { imageFolderHealth } from './image-folder/image-health-report.ts';
import { tableHealth } from './table/table-health-report.ts';
import { textHealth } from './text/text-health-report.ts';

/** The health report of any dataset kind, split exactly as training will split it (an image folder read for `purpose`). */
export async function datasetHealth(config: DataConfig, purpose: DataPurpose = 'classifier'): Promise<DataHealthReport> {
  switch (config.kind) {
    case 'image-folder':
      return imageFolderHealth(config.path, { validationSplit: config.validationSplit, testSplit: config.testSplit, seed: config.seed, labels: config.labels }, purpose);
    case 'csv-table':
      return tableHealth(config.path, { target: config.target, task: config.task, ignore: config.ignore, validationSplit: config.validationSplit, testSplit: config.testSplit, seed: config.seed });
    case 'timeseries':
      return tableHealth(config.path, { target: config.target, task: 'regression', validationSplit: config.validationSplit, testSplit: config.testSplit, seed: config.seed });
    case 'text':
      return textHealth(config);
  }
}

export interface DetectedData {
  kind: DataKind;
  /** For a flat folder of images: the CSV inside it that labels them. */
  labelsCsv: string | null;
}

const TABLE_EXTENSIONS = new Set(['.csv', '.tsv']);

/**
 * What kind of dataset a path most likely is, from names alone: a CSV file is a table; a
 * folder whose class sub-folders hold .txt files is text; a folder with no sub-folders but
 * images and one CSV is a flat image folder labelled by that CSV; any other folder is an
 * image folder (its own errors then say what is wrong with it).
 */
export function detectDataKind(target: string): DetectedData {
  const root = path.resolve(target);
  const stat = fs.statSync(root, { throwIfNoEntry: false });
  if (!stat) throw dataImportErrors.notFound(root);
  if (stat.isFile()) {
    if (TABLE_EXTENSIONS.has(path.extname(root).toLowerCase())) return { kind: 'csv-table', labelsCsv: null };
    throw dataImportErrors.notACsv(root, 'it is not a .csv or .tsv file; choose a CSV table, or a folder of images or texts');
  }
  const entries = fs.readdirSync(root, { withFileTypes: true }).filter((e) => !e.name.startsWith('.'));
  const dirs = entries.filter((e) => e.isDirectory());
  const csvs = entries.filter((e) => e.isFile() && TABLE_EXTENSIONS.has(path.extname(e.name).toLowerCase()));
  if (dirs.length === 0 && csvs.length === 1) return { kind: 'image-folder', labelsCsv: csvs[0]!.name };
  let texts = 0;
  let others = 0;
  for (const dir of dirs.slice(0, 8)) {
    for (const name of fs.readdirSync(path.join(root, dir.name)).slice(0, 50)) {
      if (name.startsWith('.')) continue;
      if (path.extname(name).toLowerCase() === '.txt') texts++;
      else others++;
    }
  }
  return { kind: texts > others ? 'text' : 'image-folder', labelsCsv: null };
}
