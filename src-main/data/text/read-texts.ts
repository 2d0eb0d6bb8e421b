import fs from 'node:fs';
import path from 'node:path';
import type { TextDataConfig } from '../../../src-shared/contract/data-config.ts';
import { dataImportErrors } from '../data-import-error.ts';
import { absolutePath, compareNames, listImageFolder } from '../image-folder/list-image-folder.ts';
import type { SkippedItem } from '../loaded-dataset.ts';
import { profileColumns } from '../table/profile-columns.ts';
import { columnIndex, isMissing, readCsv } from '../table/read-csv.ts';

/** One labelled text: `id` is its file (`<class>/…`) or its CSV row (`row 12`). */
export interface LabelledText {
  id: string;
  label: string;
  text: string;
}

export interface TextCollection {
  root: string;
  source: 'folder' | 'csv';
  /** Sorted; a label's index here is its class index. */
  classes: string[];
  items: LabelledText[];
  skipped: SkippedItem[];
}

const MAX_TEXT_BYTES = 10 * 1024 * 1024;
const utf8 = new TextDecoder('utf-8', { fatal: true });

function textNameProblem(name: string): string | null {
  if (name.includes('\uFFFD')) return 'file name is not valid UTF-8 (it cannot be opened by name); rename the file';
  const ext = path.extname(name).toLowerCase();
  return ext === '.txt' ? null : `not a .txt file${ext ? ` ("${ext}")` : ''}; texts are read from .txt files (UTF-8)`;
}

/** Why a file's bytes are not a usable text, or its text. */
function readTextFile(file: string): { text: string } | { reason: string } {
  try {
    const stat = fs.statSync(file);
    if (stat.size === 0) return { reason: 'empty file (0 bytes)' };
    if (stat.size > MAX_TEXT_BYTES) return { reason: `${(stat.size / 2 ** 20).toFixed(1)} MB; texts up to 10 MB are read (split it into several files)` };
    const bytes = fs.readFileSync(file);
    if (bytes.subarray(0, 8192).includes(0)) return { reason: 'binary file, not text' };
    const text = utf8.decode(bytes).replace(/^\uFEFF/, '');
    if (text.trim() === '') return { reason: 'holds only white space' };
    return { text };
  } catch (err) {
    if (err instanceof TypeError) return { reason: 'not UTF-8 text; save it again as UTF-8' };
    return { reason: `cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})` };
  }
}

/**
 * The labelled texts of a text dataset: a folder with one sub-folder of .txt files per
 * class, or a CSV with a text column and a label column. Unusable files and rows are
 * skipped with their reason; throws NO_TEXTS when nothing usable is left, TOO_FEW_CLASSES
 * for fewer than two labels.
 */
export async function readTexts(config: Pick<TextDataConfig, 'path' | 'textColumn' | 'labelColumn'>): Promise<TextCollection> {
  const root = path.resolve(config.path);
  const stat = fs.statSync(root, { throwIfNoEntry: false });
  if (!stat) throw dataImportErrors.notFound(root);
  const collection = stat.isDirectory() ? await readTextFolder(root) : readTextCsv(root, config);
  if (collection.items.length === 0) throw dataImportErrors.noTexts(root, collection.skipped.length);
  if (collection.classes.length < 2) throw dataImportErrors.tooFewClasses(root, collection.classes, collection.source === 'csv' ? 'labels' : 'folders', '.txt files');
  return collection;
}

async function readTextFolder(root: string): Promise<TextCollection> {
  const listing = await listImageFolder(root, textNameProblem);
  const items: LabelledText[] = [];
  const skipped: SkippedItem[] = [...listing.skipped];
  for (const cls of listing.classes) {
    for (const rel of cls.files) {
      const read = readTextFile(absolutePath(root, rel));
      if ('text' in read) items.push({ id: rel, label: cls.name, text: read.text });
      else skipped.push({ file: rel, reason: read.reason });
    }
  }
  const withTexts = new Set(items.map((i) => i.label));
  for (const cls of listing.classes) {
    if (!withTexts.has(cls.name)) throw dataImportErrors.emptyClass(cls.dir, skipped.filter((s) => s.file.startsWith(`${cls.name}/`)).length);
  }
  skipped.sort((a, b) => compareNames(a.file, b.file));
  return { root, source: 'folder', classes: listing.classes.map((c) => c.name), items, skipped };
}

function readTextCsv(file: string, config: Pick<TextDataConfig, 'textColumn' | 'labelColumn'>): TextCollection {
  const table = readCsv(file);
  const profiles = profileColumns(table);
  const named = (pattern: RegExp) => table.columns.find((c) => pattern.test(c));
  const textName = config.textColumn ?? named(/^(text|review|message|sentence|body|content|comment|email)$/i)
    ?? profiles.find((p) => p.type === 'text')?.name;
  const labelName = config.labelColumn ?? named(/^(label|labels|class|target|category|sentiment|y)$/i)
    ?? [...profiles].reverse().find((p) => p.type === 'categorical' || (p.type === 'numeric' && p.numeric?.fewValues))?.name;
  if (!textName) throw dataImportErrors.noSuchColumn(file, 'text column', '(a column of texts)', table.columns);
  if (!labelName) throw dataImportErrors.noSuchColumn(file, 'label column', '(a column of labels)', table.columns);
  const t = columnIndex(table, textName, 'text column');
  const l = columnIndex(table, labelName, 'label column');
  const items: LabelledText[] = [];
  table.rows.forEach((row, r) => {
    const id = `row ${table.rowNumbers[r]}`;
    if (isMissing(row[l]!)) table.skipped.push({ file: id, reason: `has no label in "${labelName}"` });
    else if (row[t]!.trim() === '') table.skipped.push({ file: id, reason: `has no text in "${textName}"` });
    else items.push({ id, label: row[l]!.trim(), text: row[t]! });
  });
  const classes = [...new Set(items.map((i) => i.label))].sort(compareNames);
  return { root: file, source: 'csv', classes, items, skipped: table.skipped };
}
