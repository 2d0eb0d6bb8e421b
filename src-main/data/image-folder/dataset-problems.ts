import type { DataPurpose } from '../../../src-shared/contract/data-config.ts';
import { dataImportErrors, type DataImportError } from '../data-import-error.ts';
import type { SkippedFile } from './image-file-problems.ts';
import { absolutePath } from './list-image-folder.ts';

/**
 * The first reason a set of classes cannot be trained on, or null. The loader throws it; the
 * window and the CLI can call it on a scan's `classes` and `skipped` to warn before training.
 * Checked from the most to the least fundamental: nothing readable at all (NO_IMAGES),
 * fewer than two class folders (TOO_FEW_CLASSES), a class without images (EMPTY_CLASS).
 * A GAN's images (`purpose: 'gan'`, one set, see `listImages`) need only to exist.
 */
export function findDatasetProblem(
  root: string,
  classes: ReadonlyArray<{ name: string; count: number }>,
  skipped: readonly SkippedFile[],
  purpose: DataPurpose = 'classifier',
): DataImportError | null {
  const total = classes.reduce((sum, c) => sum + c.count, 0);
  if (total === 0) return dataImportErrors.noImages(root, skipped.length, skipped[0], purpose);
  if (purpose === 'gan') return null;
  if (classes.length < 2) return dataImportErrors.tooFewClasses(root, classes.map((c) => c.name));
  const empty = classes.find((c) => c.count === 0);
  if (empty) {
    const inClass = skipped.filter((s) => s.file.startsWith(`${empty.name}/`));
    const first = inClass[0];
    return dataImportErrors.emptyClass(absolutePath(root, empty.name), inClass.length, first && `"${first.file}": ${first.reason}`);
  }
  return null;
}
