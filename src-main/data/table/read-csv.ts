import fs from 'node:fs';
import Papa from 'papaparse';
import { dataImportErrors } from '../data-import-error.ts';
import type { SkippedItem } from '../loaded-dataset.ts';

/** A CSV file as read: its header, the rows that fit it, and the rows that did not, with why. */
export interface CsvTable {
  file: string;
  columns: string[];
  /** Rows with exactly one value per column, in file order. */
  rows: string[][];
  /** 1-based data-row number (the header is row 0) of each kept row, for messages. */
  rowNumbers: number[];
  delimiter: string;
  skipped: SkippedItem[];
}

/** Refuse before parsing: a CSV this large belongs in a streamed table, which Strata does not read yet. */
const MAX_CSV_BYTES = 512 * 1024 * 1024;

/**
 * Reads a CSV with a header row (papaparse: quoted fields, quoted newlines, `,` `;` tab or
 * `|` guessed from the file). A UTF-8 byte-order mark is dropped; a row with more or fewer
 * values than the header (a "ragged" row) is skipped and named, never shifted into the wrong
 * columns; blank lines are ignored. Throws NOT_A_CSV (binary, unreadable, no header),
 * DUPLICATE_COLUMN or EMPTY_TABLE with the file named.
 */
export function readCsv(file: string): CsvTable {
  let bytes: Buffer;
  try {
    const stat = fs.statSync(file);
    if (stat.isDirectory()) throw dataImportErrors.notACsv(file, 'it is a folder');
    if (stat.size > MAX_CSV_BYTES) throw dataImportErrors.notACsv(file, `it is ${(stat.size / 2 ** 20).toFixed(0)} MB; tables up to ${MAX_CSV_BYTES / 2 ** 20} MB are read`);
    bytes = fs.readFileSync(file);
  } catch (err) {
    if (err instanceof Error && 'code' in err && err.code === 'ENOENT') throw dataImportErrors.notFound(file);
    if (err instanceof Error && err.name === 'DataImportError') throw err;
    throw dataImportErrors.notACsv(file, err instanceof Error ? err.message : String(err));
  }
  if (bytes.subarray(0, 8192).includes(0)) throw dataImportErrors.notACsv(file, 'it is a binary file, not text');
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') throw dataImportErrors.notACsv(file, 'it is empty');

  const parsed = Papa.parse<string[]>(text, { header: false, skipEmptyLines: 'greedy', delimitersToGuess: [',', ';', '\t', '|'] });
  const all = parsed.data;
  const header = (all[0] ?? []).map((name, i) => name.trim() || `column_${i + 1}`);
  if (header.length === 0) throw dataImportErrors.notACsv(file, 'it has no header row');
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) throw dataImportErrors.duplicateColumn(file, name);
    seen.add(name);
  }

  const rows: string[][] = [];
  const rowNumbers: number[] = [];
  const skipped: SkippedItem[] = [];
  for (let r = 1; r < all.length; r++) {
    const row = all[r]!;
    if (row.length !== header.length) {
      skipped.push({ file: `row ${r}`, reason: `has ${row.length} value${row.length === 1 ? '' : 's'} but the header has ${header.length} columns (a ragged row; check its quotes and delimiters)` });
      continue;
    }
    rows.push(row);
    rowNumbers.push(r);
  }
  // An unclosed quote swallows the rest of the file into one field: say so on that row.
  for (const e of parsed.errors) {
    if (e.type !== 'Quotes' || e.row === undefined) continue;
    const where = `row ${e.row}`; // data index = row number, the header being row 0
    const note = 'a quote opens here and never closes, so everything after it was read as one value';
    const ragged = skipped.find((x) => x.file === where);
    if (ragged) ragged.reason = `${note}; ${ragged.reason}`;
    else skipped.push({ file: where, reason: note });
  }
  if (rows.length === 0 && skipped.length > 0) {
    const quote = skipped.find((x) => /quote/i.test(x.reason)) ?? skipped[0]!;
    throw dataImportErrors.notACsv(file, `none of its rows fits the header (${quote.file} ${quote.reason})`);
  }
  if (rows.length === 0) throw dataImportErrors.emptyTable(file);
  return { file, columns: header, rows, rowNumbers, delimiter: parsed.meta.delimiter, skipped };
}

const MISSING = new Set(['', 'na', 'n/a', 'nan', 'null', 'none', '?']);

/** Empty cells and the usual spellings of "no value". */
export function isMissing(value: string): boolean {
  return MISSING.has(value.trim().toLowerCase());
}

/** The number in a cell, or null when the cell is not a plain finite number. */
export function parseNumber(value: string): number | null {
  const t = value.trim();
  if (t === '' || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

export function columnIndex(table: CsvTable, name: string, role: string): number {
  const i = table.columns.indexOf(name);
  if (i < 0) throw dataImportErrors.noSuchColumn(table.file, role, name, table.columns);
  return i;
}
