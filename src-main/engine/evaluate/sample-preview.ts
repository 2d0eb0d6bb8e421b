import fs from 'node:fs';
import type { EvaluationExample } from '../../../src-shared/contract/evaluation.ts';
import type { RunRecord } from '../../../src-shared/contract/run-record.ts';
import { decodeImageFile } from '../../data/image-folder/decode-image.ts';
import { absolutePath } from '../../data/image-folder/list-image-folder.ts';
import { readCsv } from '../../data/table/read-csv.ts';
import { readTexts } from '../../data/text/read-texts.ts';
import { pngDataUrl, renderInputPng } from '../explain/heatmap-overlay.ts';

export type SamplePreview = EvaluationExample['preview'];

/** Texts and table rows are cut here: enough to recognise a sample, not a whole document. */
const MAX_PREVIEW_CHARS = 500;
/** Pixels of the longer side of an image preview (enlarged by whole steps, nearest neighbour). */
const IMAGE_PREVIEW_SIZE = 112;

function truncate(text: string): string {
  return text.length <= MAX_PREVIEW_CHARS ? text : `${text.slice(0, MAX_PREVIEW_CHARS - 1)}…`;
}

/**
 * Reads samples back from where an evaluation found them (`root`: the dataset folder or
 * CSV) by their id, as people see them: an image as the model saw it (the run's size and
 * channels), a table row as `column=value, …`, a text as written. A sample that cannot be
 * read any more (a file deleted since) becomes a line saying so rather than an error.
 */
export async function previewReader(record: RunRecord, root: string, imageSize = IMAGE_PREVIEW_SIZE): Promise<(id: string) => Promise<SamplePreview>> {
  const data = record.data;
  switch (data.kind) {
    case 'image-folder': {
      const [h, w] = data.imageSize;
      return async (id) => {
        try {
          const pixels = await decodeImageFile(absolutePath(root, id), data.imageSize, data.channels);
          return { kind: 'image', image: pngDataUrl(await renderInputPng(pixels, h, w, data.channels, imageSize)) };
        } catch (err) {
          return { kind: 'text', text: `${id}: cannot be read now (${err instanceof Error ? err.message : String(err)})` };
        }
      };
    }
    case 'csv-table': {
      const table = readCsv(root);
      const byId = new Map(table.rows.map((row, r) => [`row ${table.rowNumbers[r]}`, row]));
      return async (id) => {
        const row = byId.get(id);
        return { kind: 'text', text: row ? truncate(table.columns.map((c, i) => `${c}=${row[i]}`).join(', ')) : `${id}: no longer in ${root}` };
      };
    }
    case 'text': {
      if (fs.statSync(root, { throwIfNoEntry: false })?.isDirectory()) {
        return async (id) => {
          try {
            return { kind: 'text', text: truncate(fs.readFileSync(absolutePath(root, id), 'utf8').replace(/^\uFEFF/, '')) };
          } catch (err) {
            return { kind: 'text', text: `${id}: cannot be read now (${(err as NodeJS.ErrnoException).code ?? String(err)})` };
          }
        };
      }
      const texts = new Map((await readTexts({ path: root, textColumn: data.textColumn, labelColumn: data.labelColumn })).items.map((i) => [i.id, i.text]));
      return async (id) => ({ kind: 'text', text: truncate(texts.get(id) ?? `${id}: no longer in ${root}`) });
    }
    case 'timeseries':
      return async (id) => ({ kind: 'text', text: id });
  }
}
