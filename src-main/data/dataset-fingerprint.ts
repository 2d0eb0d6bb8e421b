import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { DataConfig } from '../../src-shared/contract/data-config.ts';
import type { LoadedDataset } from './loaded-dataset.ts';

/**
 * A short hash of what a run trained on: the import settings, which samples landed on
 * which side, and the size and time of every file read (or the bytes of a CSV). Recorded in
 * run.json, so a run can tell whether the data under it has changed — a resumed run must
 * not quietly continue on other data.
 */
export function datasetFingerprint(config: DataConfig, dataset: LoadedDataset): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ config: { ...config, path: undefined }, shape: dataset.sampleShape, targets: dataset.targets }));
  for (const side of [dataset.train, dataset.validation, dataset.test]) hash.update(side.ids.join('\n')).update('\u0000');
  if (config.kind === 'image-folder' || (config.kind === 'text' && fs.statSync(config.path).isDirectory())) {
    for (const id of [...dataset.train.ids, ...dataset.validation.ids, ...dataset.test.ids].sort()) {
      const s = fs.statSync(path.join(config.path, ...id.split('/')), { throwIfNoEntry: false });
      hash.update(`${id}:${s?.size ?? -1}:${s?.mtimeMs ?? -1}\n`);
    }
  } else {
    hash.update(fs.readFileSync(config.path));
  }
  return hash.digest('hex').slice(0, 16);
}
