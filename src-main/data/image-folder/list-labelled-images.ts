import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import type { ImageLabelsCsvSchema } from '../../../src-shared/contract/data-config.ts';
import { dataImportErrors } from '../data-import-error.ts';
import { columnIndex, isMissing, readCsv } from '../table/read-csv.ts';
import { fileNameProblem, type SkippedFile } from './image-file-problems.ts';
import { compareNames, type ImageFolderListing } from './list-image-folder.ts';

type LabelsCsv = z.infer<typeof ImageLabelsCsvSchema>;

/** The labels CSV of a flat image folder; a relative path is inside (or beside) the folder. */
export function labelsCsvPath(root: string, labels: LabelsCsv): string {
  return path.resolve(root, labels.csv);
}

/**
 * A flat folder of images labelled by a CSV (`file,label` rows, as Kaggle ships many image
 * sets), listed in the same shape as a folder per class so the loader, the split and the
 * report treat both alike. A row is skipped, with its number and why, when its file is
 * missing, is outside the folder (`..`, an absolute path, a link out), is not an image, or
 * has no label; an image in the folder that no row names is skipped as "not in the CSV".
 */
export async function listLabelledImages(rootPath: string, labels: LabelsCsv): Promise<ImageFolderListing> {
  const root = path.resolve(rootPath);
  const stat = fs.statSync(root, { throwIfNoEntry: false });
  if (!stat) throw dataImportErrors.notFound(root);
  if (!stat.isDirectory()) throw dataImportErrors.notAFolder(root);
  const csvFile = labelsCsvPath(root, labels);
  const table = readCsv(csvFile);
  const pick = (given: string | undefined, pattern: RegExp, role: string): number => {
    const name = given ?? table.columns.find((c) => pattern.test(c.trim()));
    if (!name) throw dataImportErrors.noSuchColumn(csvFile, role, role === 'file column' ? 'file' : 'label', table.columns);
    return columnIndex(table, name, role);
  };
  const fileCol = pick(labels.fileColumn, /^(file|filename|file_name|image|image_id|path|id|name)$/i, 'file column');
  const labelCol = pick(labels.labelColumn, /^(label|labels|class|target|category|y)$/i, 'label column');
  const realRoot = fs.realpathSync(root);
  const skipped: SkippedFile[] = table.skipped.map((s) => ({ file: `${path.basename(csvFile)} ${s.file}`, reason: s.reason }));
  const byClass = new Map<string, string[]>();
  const named = new Set<string>();
  // Every file a row names, used or not: a file whose row was refused is not also "unlabelled".
  const mentioned = new Set<string>();
  table.rows.forEach((row, r) => {
    const where = `${path.basename(csvFile)} row ${table.rowNumbers[r]}`;
    const rel = row[fileCol]!.trim().replaceAll('\\', '/');
    const label = row[labelCol]!.trim();
    mentioned.add(rel);
    const problem = imageRowProblem(root, realRoot, rel, label);
    if (problem) { skipped.push({ file: `${where} (${rel || 'no file'})`, reason: problem }); return; }
    if (named.has(rel)) { skipped.push({ file: `${where} (${rel})`, reason: 'names a file an earlier row already labelled; the first row counts' }); return; }
    named.add(rel);
    byClass.set(label, [...(byClass.get(label) ?? []), rel]);
  });
  for (const entry of fs.readdirSync(root)) {
    const full = path.join(root, entry);
    if (!entry.startsWith('.') && !mentioned.has(entry) && full !== csvFile && !fileNameProblem(entry) && fs.statSync(full, { throwIfNoEntry: false })?.isFile()) {
      skipped.push({ file: entry, reason: `no row of ${path.basename(csvFile)} labels it` });
    }
  }
  const classes = [...byClass.keys()].sort(compareNames).map((name) => ({ name, dir: root, files: byClass.get(name)!.sort(compareNames) }));
  if (classes.length === 0) throw dataImportErrors.noLabelledImages(root, path.basename(csvFile), skipped.length, skipped[0]);
  skipped.sort((a, b) => compareNames(a.file, b.file));
  return { root, classes, skipped };
}

function imageRowProblem(root: string, realRoot: string, rel: string, label: string): string | null {
  if (isMissing(label)) return 'has no label';
  if (rel === '') return 'has no file name';
  if (path.isAbsolute(rel) || rel.split('/').includes('..')) return 'the file is outside the image folder (an absolute path or ".."); give paths relative to the folder';
  const nameProblem = fileNameProblem(path.basename(rel));
  if (nameProblem) return nameProblem;
  const full = path.join(root, rel);
  let real: string;
  try {
    real = fs.realpathSync(full);
  } catch {
    return `the file ${rel} does not exist in the folder`;
  }
  if (real !== realRoot && !real.startsWith(`${realRoot}${path.sep}`)) return 'symbolic link leading outside the dataset folder; not followed (copy the file in instead)';
  return null;
}
