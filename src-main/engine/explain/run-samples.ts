import path from 'node:path';
import type { RunRecord } from '../../../src-shared/contract/run-record.ts';
import { StrataError } from '../../strata-error.ts';
import { previewReader } from '../evaluate/sample-preview.ts';
import { readRunRecord } from '../train/run-store.ts';

/** Images are shown small in the sample picker; the reader renders them at this side. */
const THUMBNAIL_SIZE = 56;

/** The true class of validation sample `index`; older image runs (folder per class) kept no labels list. */
function labelOf(record: RunRecord, index: number): string {
  const id = record.validationFiles[index]!;
  return record.validationLabels?.[index] ?? (record.data.kind === 'image-folder' ? id.split(/[\\/]/)[0]! : '');
}

/**
 * A few validation samples of a run for the Explain tab to pick from, spread over the split
 * so several classes show up: images as thumbnails, table rows and texts as a line of text.
 */
export async function runSamples(runDir: string, count: number) {
  const record = readRunRecord(path.resolve(runDir));
  if (record.checkpointEpoch === 0) {
    throw new StrataError('NO_CHECKPOINT', `The run in ${runDir} has no trained weights yet (no epoch has completed). Train for at least one epoch.`);
  }
  const ids = record.validationFiles;
  const n = Math.min(count, ids.length);
  const step = ids.length / Math.max(1, n);
  const preview = await previewReader(record, record.data.path, THUMBNAIL_SIZE);
  return Promise.all(Array.from({ length: n }, async (_, k) => {
    const index = Math.floor(k * step);
    const shown = await preview(ids[index]!);
    return shown.kind === 'image'
      ? { index, id: ids[index]!, label: labelOf(record, index), thumbnail: shown.image }
      : { index, id: ids[index]!, label: labelOf(record, index), thumbnail: '', text: shown.text };
  }));
}
