import type { ImageDatasetScan } from '../../../src-shared/contract/commands.ts';
import type { DataPurpose, ImageDataConfig } from '../../../src-shared/contract/data-config.ts';
import { mapWithConcurrency } from '../map-with-concurrency.ts';
import { ALPHA_BACKGROUND, IMAGE_IO_CONCURRENCY, openImage, usableImageHeader } from './decode-image.ts';
import { decodeFailureReason, type SkippedFile } from './image-file-problems.ts';
import { absolutePath, compareNames } from './list-image-folder.ts';
import { listImages } from './load-image-dataset.ts';

const THUMBNAILS_PER_CLASS = 3;
const THUMBNAIL_SIDE = 48;
/** Larger inputs make training on a laptop slow; a person can still raise it in the inspector. */
const MAX_SUGGESTED_SIDE = 64;
/** The smallest side the project schema accepts. */
const MIN_SUGGESTED_SIDE = 4;
/** Colour-encoded images decoded per class to see whether their pixels are really grey. */
const COLOUR_SAMPLES_PER_CLASS = 8;
/** Largest channel difference (of 255) still called grey: JPEG chroma noise stays well below. */
const GREY_TOLERANCE = 8;

interface Probe {
  rel: string;
  height: number;
  width: number;
  /** The file stores one grey channel (± alpha), so it is grey without looking at its pixels. */
  greyByHeader: boolean;
}

/**
 * Looks at a dataset folder (one sub-folder per class) without loading it: class names,
 * image counts, a few thumbnails, every file that will not be used and why, and suggested
 * input settings. Classes with no usable image are returned with count 0 so the window can
 * show them; `findDatasetProblem` (and the loader) turns that into EMPTY_CLASS. Throws only
 * when the folder itself is unusable: NOT_FOUND, NOT_A_FOLDER, NO_CLASS_FOLDERS. For a GAN
 * (`purpose: 'gan'`) the images are one class, labels unused (see `listImages`).
 *
 * Decodability is judged from each file's header (sharp metadata), which is cheap enough for
 * ten thousand files; a file whose header is intact but whose pixel data is cut off is only
 * found by the loader, which decodes every pixel and reports it in its own `skipped`.
 */
export async function scanImageFolder(root: string, labels: ImageDataConfig['labels'] = null, purpose: DataPurpose = 'classifier'): Promise<ImageDatasetScan> {
  const gan = purpose === 'gan';
  const listing = await listImages({ path: root, labels }, purpose);
  const skipped: SkippedFile[] = [...listing.skipped];
  const candidates = listing.classes.flatMap((c) => c.files);

  const probes = await mapWithConcurrency(candidates, IMAGE_IO_CONCURRENCY, async (rel): Promise<Probe | null> => {
    const file = absolutePath(listing.root, rel);
    try {
      const meta = await usableImageHeader(file);
      const greyByHeader = meta.channels <= 2 || meta.space === 'b-w' || meta.space === 'grey16';
      return { rel, height: meta.autoOrient.height, width: meta.autoOrient.width, greyByHeader };
    } catch (err) {
      skipped.push({ file: rel, reason: await decodeFailureReason(file, err) });
      return null;
    }
  });
  const readable = new Map<string, Probe>();
  for (const probe of probes) if (probe) readable.set(probe.rel, probe);
  // Decoding thumbnails and colour samples can still uncover a broken file; drop it from the counts too.
  const markBroken = async (rel: string, err: unknown): Promise<void> => {
    readable.delete(rel);
    skipped.push({ file: rel, reason: await decodeFailureReason(absolutePath(listing.root, rel), err) });
  };

  const channels = await suggestChannels(listing.root, listing.classes, readable, markBroken);
  const thumbnails = await mapWithConcurrency(listing.classes, Math.floor(IMAGE_IO_CONCURRENCY / THUMBNAILS_PER_CLASS), (cls) =>
    classThumbnails(listing.root, cls.files.filter((rel) => readable.has(rel)), markBroken));
  // Counted after the thumbnails, which may have found more broken files.
  const classes = listing.classes.map((cls, i) => ({
    name: cls.name,
    count: cls.files.filter((rel) => readable.has(rel)).length,
    thumbnails: thumbnails[i]!,
  }));

  skipped.sort((a, b) => compareNames(a.file, b.file));
  return {
    kind: 'image-folder',
    root: listing.root,
    labelsCsv: labels?.csv ?? null,
    ...(gan ? { purpose } : {}),
    classes,
    total: classes.reduce((sum, c) => sum + c.count, 0),
    skipped,
    suggested: { imageSize: suggestImageSize([...readable.values()]), channels },
  };
}

async function classThumbnails(root: string, files: string[], markBroken: (rel: string, err: unknown) => Promise<void>): Promise<string[]> {
  const thumbnails: string[] = [];
  for (const rel of files) {
    if (thumbnails.length === THUMBNAILS_PER_CLASS) break;
    try {
      const png = await openImage(absolutePath(root, rel))
        .flatten({ background: ALPHA_BACKGROUND })
        .resize(THUMBNAIL_SIDE, THUMBNAIL_SIDE, { fit: 'contain', background: { r: 0, g: 0, b: 0, alpha: 0 } })
        .png()
        .toBuffer();
      thumbnails.push(`data:image/png;base64,${png.toString('base64')}`);
    } catch (err) {
      await markBroken(rel, err);
    }
  }
  return thumbnails;
}

/**
 * The most common image size, scaled down (keeping its aspect ratio) so the longer side is
 * at most 64. Ties go to the smaller size, so the suggestion does not depend on file order.
 */
export function suggestImageSize(images: ReadonlyArray<{ height: number; width: number }>): [number, number] {
  if (images.length === 0) return [28, 28];
  const counts = new Map<string, { h: number; w: number; n: number }>();
  for (const { height: h, width: w } of images) {
    const key = `${h}x${w}`;
    const entry = counts.get(key) ?? { h, w, n: 0 };
    entry.n++;
    counts.set(key, entry);
  }
  const [best] = [...counts.values()].sort((a, b) => b.n - a.n || a.h * a.w - b.h * b.w || a.h - b.h);
  const { h, w } = best!;
  const scale = Math.min(1, MAX_SUGGESTED_SIDE / Math.max(h, w));
  const side = (v: number): number => Math.min(MAX_SUGGESTED_SIDE, Math.max(MIN_SUGGESTED_SIDE, Math.round(v * scale)));
  return [side(h), side(w)];
}

/**
 * 1 when the images are grey: every file stores a single grey channel, or the colour-encoded
 * ones that were sampled (a few per class, spread over the class) hold only grey pixels — as
 * with digits saved as RGB JPEGs. Otherwise 3.
 */
async function suggestChannels(
  root: string,
  classes: ReadonlyArray<{ files: string[] }>,
  readable: ReadonlyMap<string, Probe>,
  markBroken: (rel: string, err: unknown) => Promise<void>,
): Promise<1 | 3> {
  const samples = classes.flatMap((cls) => spread(cls.files.filter((rel) => readable.get(rel)?.greyByHeader === false), COLOUR_SAMPLES_PER_CLASS));
  const colourful = await mapWithConcurrency(samples, IMAGE_IO_CONCURRENCY, async (rel) => {
    try {
      const { data, info } = await openImage(absolutePath(root, rel))
        .flatten({ background: ALPHA_BACKGROUND })
        .resize(32, 32, { fit: 'inside', withoutEnlargement: true })
        .toColourspace('srgb')
        .raw({ depth: 'uchar' })
        .toBuffer({ resolveWithObject: true });
      return hasColour(data, info.channels);
    } catch (err) {
      await markBroken(rel, err);
      return false;
    }
  });
  return colourful.some(Boolean) ? 3 : 1;
}

function hasColour(data: Buffer, channels: number): boolean {
  for (let i = 0; i + 2 < data.length; i += channels) {
    const r = data[i]!, g = data[i + 1]!, b = data[i + 2]!;
    if (Math.abs(r - g) > GREY_TOLERANCE || Math.abs(g - b) > GREY_TOLERANCE || Math.abs(r - b) > GREY_TOLERANCE) return true;
  }
  return false;
}

/** Up to `n` items evenly spread over the list, first and last included. */
function spread<T>(items: readonly T[], n: number): T[] {
  if (items.length <= n) return [...items];
  return Array.from({ length: n }, (_, k) => items[Math.round((k * (items.length - 1)) / (n - 1))]!);
}
