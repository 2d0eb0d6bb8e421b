import type { DataPurpose } from '../../src-shared/contract/data-config.ts';
import { StrataError } from '../strata-error.ts';

/** Why a dataset (or one image) could not be imported; stable across releases, shown by the UI and CLI. */
export type DataImportErrorCode =
  | 'NOT_FOUND'
  | 'NOT_A_FOLDER'
  | 'NO_CLASS_FOLDERS'
  | 'EMPTY_CLASS'
  | 'TOO_FEW_CLASSES'
  | 'NO_IMAGES'
  | 'UNREADABLE_IMAGE'
  | 'NOT_A_CSV'
  | 'EMPTY_TABLE'
  | 'DUPLICATE_COLUMN'
  | 'NO_SUCH_COLUMN'
  | 'NOT_NUMERIC'
  | 'TOO_FEW_ROWS'
  | 'NO_TEXTS';

/**
 * A dataset or image that cannot be used. The message names the file or folder and says
 * what to do; `path` is that file or folder (absolute), also sent as `details.path` so the
 * window can offer "show in folder". Extends StrataError so `toContractError` maps it as is.
 */
export class DataImportError extends StrataError {
  declare readonly code: DataImportErrorCode;
  declare readonly details: { path: string };

  constructor(code: DataImportErrorCode, readonly path: string, message: string) {
    super(code, message, { path });
    this.name = 'DataImportError';
  }
}

const READABLE_FORMATS = 'PNG, JPEG, WebP, GIF, BMP or TIFF';

/** The messages in one place so the scan, the loader and the single-file decoder say the same thing. */
export const dataImportErrors = {
  notFound: (p: string) => new DataImportError('NOT_FOUND', p,
    `"${p}" does not exist. Check the path, or choose the folder again.`),

  notAFolder: (p: string) => new DataImportError('NOT_A_FOLDER', p,
    `"${p}" is a file, not a folder. Choose the folder that holds one sub-folder per class (e.g. digits/ with digits/0, digits/1, …).`),

  noClassFolders: (p: string) => new DataImportError('NO_CLASS_FOLDERS', p,
    `"${p}" has no class sub-folders. Put the images of each class in a sub-folder named after the class (e.g. digits/0/*.png, digits/1/*.png), or put a CSV of file,label rows beside the images.`),

  noImages: (p: string, skippedCount: number, firstSkipped?: { file: string; reason: string }, purpose: DataPurpose = 'classifier') => new DataImportError('NO_IMAGES', p,
    `"${p}" has no usable images` +
    (firstSkipped ? `: all ${skippedCount} file(s) were skipped (e.g. "${firstSkipped.file}": ${firstSkipped.reason})` : '') +
    (purpose === 'gan'
      ? `. Put the ${READABLE_FORMATS} images the GAN should learn from in it (directly or in sub-folders), or choose the folder that holds them.`
      : `. Put ${READABLE_FORMATS} images in its class sub-folders.`)),

  tooFewClasses: (p: string, classNames: readonly string[], kind: 'folders' | 'labels' = 'folders', samples = 'images') => new DataImportError('TOO_FEW_CLASSES', p,
    kind === 'folders'
      ? `"${p}" has ${classNames.length === 0 ? `no class folders with ${samples}` : `only one class folder ("${classNames[0]}")`}; ` +
        `a classifier needs at least 2 classes. Add a sub-folder of ${samples} for each other class.`
      : `"${p}" has ${classNames.length === 0 ? 'no labels' : `only one label ("${classNames[0]}")`} in its target; ` +
        'a classifier needs at least 2 classes. Add rows of the other classes, or choose regression or another target.'),

  noLabelledImages: (p: string, csv: string, skippedCount: number, firstSkipped?: { file: string; reason: string }) => new DataImportError('NO_IMAGES', p,
    `"${p}" has no usable images labelled by ${csv}` +
    (firstSkipped ? `: all ${skippedCount} row(s) or file(s) were skipped (e.g. "${firstSkipped.file}": ${firstSkipped.reason})` : '') +
    `. Each row of ${csv} names an image in the folder (a path relative to it) and its label.`),

  noTarget: (p: string, column: string) => new DataImportError('TOO_FEW_ROWS', p,
    `"${p}" has no value in the target column "${column}" in any row. Fill it in, or choose another target column.`),

  emptyClass: (classDir: string, skippedCount: number, firstReason?: string) => new DataImportError('EMPTY_CLASS', classDir,
    `Class folder "${classDir}" has no usable images` +
    (skippedCount > 0 && firstReason ? ` (its ${skippedCount} file(s) were skipped, e.g. ${firstReason})` : '') +
    `. Add ${READABLE_FORMATS} images to it, or remove the folder to train without that class.`),

  notACsv: (p: string, why: string) => new DataImportError('NOT_A_CSV', p,
    `"${p}" cannot be read as a CSV table: ${why}. Save it as CSV (comma, semicolon or tab separated, first row the column names).`),

  emptyTable: (p: string) => new DataImportError('EMPTY_TABLE', p,
    `"${p}" has a header but no data rows. Add rows, one sample per line.`),

  duplicateColumn: (p: string, name: string) => new DataImportError('DUPLICATE_COLUMN', p,
    `"${p}" has two columns named "${name}". Rename one of them in the header row.`),

  noSuchColumn: (p: string, role: string, name: string, columns: readonly string[]) => new DataImportError('NO_SUCH_COLUMN', p,
    `"${p}" has no column "${name}" (the ${role}). Its columns are: ${columns.map((c) => `"${c}"`).join(', ')}. Choose one of them.`),

  notNumeric: (p: string, column: string, example: string) => new DataImportError('NOT_NUMERIC', p,
    `Column "${column}" of "${p}" must be numeric but holds "${example}". Choose numeric columns, or clean that value.`),

  tooFewRows: (p: string, have: number, need: number, what: string) => new DataImportError('TOO_FEW_ROWS', p,
    `"${p}" has ${have} usable row(s); ${what} needs at least ${need}. Add rows, or make the window or horizon smaller.`),

  noTexts: (p: string, skippedCount: number) => new DataImportError('NO_TEXTS', p,
    `"${p}" has no usable texts${skippedCount > 0 ? ` (${skippedCount} file(s) or row(s) were skipped; see the report)` : ''}. Put .txt files (UTF-8) in one sub-folder per class, or choose a CSV with a text column and a label column.`),

  unreadableImage: (file: string, reason: string) => new DataImportError('UNREADABLE_IMAGE', file,
    `"${file}" cannot be used as an image: ${reason}. Open it in an image viewer to check it, or save it again as PNG.`),
} as const;
