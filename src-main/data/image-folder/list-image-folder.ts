import type { Dirent } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { dataImportErrors } from '../data-import-error.ts';
import { fileNameProblem, type SkippedFile } from './image-file-problems.ts';

/** One class: its folder and the files in it worth decoding (not yet known to decode). */
export interface ClassFolder {
  name: string;
  /** Absolute path of the class folder. */
  dir: string;
  /** Candidate image files relative to the dataset root (`<class>/…`, `/`-separated), sorted. */
  files: string[];
}

/** What is in a dataset folder, judged by names alone — no file has been opened yet. */
export interface ImageFolderListing {
  /** Absolute path of the dataset folder. */
  root: string;
  /** Sorted by name; the index of a class here is its label. */
  classes: ClassFolder[];
  /** Files rejected by name or location; decode failures are added by the scan and the loader. */
  skipped: SkippedFile[];
}

/**
 * Code-unit order rather than `localeCompare`: a class's label index must not depend on the
 * locale of the machine that imports the folder, or a model trained on one machine would
 * mislabel on another.
 */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const isHidden = (name: string): boolean => name.startsWith('.');

/**
 * Lists the class sub-folders of `root` and their candidate files (images, unless
 * `nameProblem` says which names to take: the text loader takes .txt files). Images in nested
 * folders count for the class folder they are in (e.g. `cats/indoor/1.png` is a cat). Hidden
 * files and folders (`.DS_Store`, `.git`) are ignored without a word; any other file that
 * will not be used is in `skipped`. Throws NOT_FOUND, NOT_A_FOLDER or NO_CLASS_FOLDERS.
 */
export async function listImageFolder(rootPath: string, nameProblem: (fileName: string) => string | null = fileNameProblem): Promise<ImageFolderListing> {
  const root = path.resolve(rootPath);
  const stat = await fs.stat(root).catch(() => null);
  if (!stat) throw dataImportErrors.notFound(root);
  if (!stat.isDirectory()) throw dataImportErrors.notAFolder(root);

  const skipped: SkippedFile[] = [];
  const classDirs: string[] = [];
  for (const entry of await readSorted(root)) {
    if (isHidden(entry.name)) continue;
    const kind = await entryKind(root, root, entry);
    if (kind === 'dir') classDirs.push(entry.name);
    else if (kind === 'file') skipped.push({ file: entry.name, reason: 'not inside a class folder; move it into the sub-folder of its class' });
    else if (kind === 'outside') skipped.push({ file: entry.name, reason: OUTSIDE });
  }
  if (classDirs.length === 0) throw dataImportErrors.noClassFolders(root);

  const classes: ClassFolder[] = [];
  for (const name of classDirs) {
    const files: string[] = [];
    await collectFiles(root, name, files, skipped, new Set(), nameProblem);
    files.sort(compareNames);
    classes.push({ name, dir: path.join(root, name), files });
  }
  skipped.sort((a, b) => compareNames(a.file, b.file));
  return { root, classes, skipped };
}

/**
 * A GAN's view of a folder: every image under it, wherever it sits (flat, in one sub-folder,
 * or in one sub-folder per class), as one set named after the folder — labels are not used.
 * Hidden files are ignored and other files skipped as by `listImageFolder`. Throws NOT_FOUND
 * or NOT_A_FOLDER; a folder without images is for `findDatasetProblem` to refuse (NO_IMAGES).
 */
export async function listEveryImage(rootPath: string): Promise<ImageFolderListing> {
  const root = path.resolve(rootPath);
  const stat = await fs.stat(root).catch(() => null);
  if (!stat) throw dataImportErrors.notFound(root);
  if (!stat.isDirectory()) throw dataImportErrors.notAFolder(root);
  const files: string[] = [];
  const skipped: SkippedFile[] = [];
  await collectFiles(root, '', files, skipped, new Set(), fileNameProblem);
  files.sort(compareNames);
  skipped.sort((a, b) => compareNames(a.file, b.file));
  return { root, classes: [{ name: path.basename(root), dir: root, files }], skipped };
}

/** A listing's classes joined into one set named after the folder: a GAN's images (labels unused). */
export function asOneSet(listing: ImageFolderListing): ImageFolderListing {
  const files = listing.classes.flatMap((c) => c.files).sort(compareNames);
  return { root: listing.root, classes: [{ name: path.basename(listing.root), dir: listing.root, files }], skipped: listing.skipped };
}

async function readSorted(dir: string): Promise<Dirent[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  return entries.sort((a, b) => compareNames(a.name, b.name));
}

/**
 * Follows a symbolic link that stays inside the dataset folder (datasets are often
 * assembled from linked folders) but not one that leads out of it: a dataset is what is
 * in its folder, and a link to `/` or a home folder must not pull the disk in.
 */
async function entryKind(root: string, parent: string, entry: Dirent): Promise<'dir' | 'file' | 'other' | 'outside'> {
  if (entry.isDirectory()) return 'dir';
  if (entry.isFile()) return 'file';
  if (!entry.isSymbolicLink()) return 'other'; // sockets, fifos, devices: not data
  const full = path.join(parent, entry.name);
  const [real, realRoot] = await Promise.all([fs.realpath(full).catch(() => null), fs.realpath(root).catch(() => root)]);
  if (real === null) return 'other'; // a dangling link
  if (real !== realRoot && !real.startsWith(`${realRoot}${path.sep}`)) return 'outside';
  const target = await fs.stat(full).catch(() => null);
  return target?.isDirectory() ? 'dir' : target?.isFile() ? 'file' : 'other';
}

const OUTSIDE = 'symbolic link leading outside the dataset folder; not followed (copy the files in instead)';

async function collectFiles(
  root: string, relDir: string, files: string[], skipped: SkippedFile[], seen: Set<string>, nameProblem: (fileName: string) => string | null,
): Promise<void> {
  // relDir '' is the root itself.
  const absDir = path.join(root, ...relDir.split('/'));
  let entries: Dirent[];
  try {
    // A symbolic link back to an ancestor would otherwise make the walk endless.
    const real = await fs.realpath(absDir);
    if (seen.has(real)) return;
    seen.add(real);
    entries = await readSorted(absDir);
  } catch (err) {
    skipped.push({ file: `${relDir || '.'}/`, reason: `folder cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})` });
    return;
  }
  for (const entry of entries) {
    if (isHidden(entry.name)) continue;
    const rel = relDir === '' ? entry.name : `${relDir}/${entry.name}`;
    const kind = await entryKind(root, absDir, entry);
    if (kind === 'outside') {
      skipped.push({ file: rel, reason: OUTSIDE });
    } else if (kind === 'dir') {
      await collectFiles(root, rel, files, skipped, seen, nameProblem);
    } else if (kind === 'file') {
      const problem = nameProblem(entry.name);
      if (problem) skipped.push({ file: rel, reason: problem });
      else files.push(rel);
    }
  }
}

/** Absolute path of a file given relative to the dataset root. */
export function absolutePath(root: string, rel: string): string {
  return path.join(root, ...rel.split('/'));
}
