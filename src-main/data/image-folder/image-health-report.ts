import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import type { DataPurpose, ImageDataConfig } from '../../../src-shared/contract/data-config.ts';
import type { ImageHealthReport } from '../../../src-shared/contract/data-health.ts';
import { mapWithConcurrency } from '../map-with-concurrency.ts';
import { IMAGE_IO_CONCURRENCY, openImage, usableImageHeader } from './decode-image.ts';
import { decodeFailureReason, type SkippedFile } from './image-file-problems.ts';
import { absolutePath } from './list-image-folder.ts';
import { listImages } from './load-image-dataset.ts';
import { assignSplits, type SplitName } from './stable-split.ts';

/**
 * Two pictures whose 32×32 grey thumbnails, each minus its own mean brightness, differ by
 * at most this much per pixel on average (of 255) are the same picture: a re-encoded,
 * resized or brightened copy lands around 1–3; two different handwritten "1"s (which at
 * 16×16 are often closer than that) stay above it at 32×32.
 */
const NEAR_DUPLICATE_DISTANCE = 4;
const THUMB = 32;
const BLOCK = 4; // coarse cells of BLOCK×BLOCK pixels

interface Fingerprint {
  rel: string;
  className: string;
  sha256: string;
  /** 32×32 grey thumbnail minus its mean, and its 8×8 block means (a cheap lower bound to prune pairs). */
  thumb: Float32Array;
  coarse: Float32Array;
  size: string;
  layout: string;
}

/** The brightness-normalised thumbnail a near-duplicate comparison works on; decodes every pixel. */
async function thumbnail(file: string | Buffer): Promise<{ thumb: Float32Array; coarse: Float32Array }> {
  const data = await openImage(file).greyscale().resize(THUMB, THUMB, { fit: 'fill' }).raw().toBuffer();
  const mean = data.reduce((a, b) => a + b, 0) / data.length;
  const thumb = Float32Array.from(data, (v) => v - mean);
  const cells = THUMB / BLOCK;
  const coarse = new Float32Array(cells * cells);
  for (let y = 0; y < THUMB; y++) {
    for (let x = 0; x < THUMB; x++) coarse[Math.floor(y / BLOCK) * cells + Math.floor(x / BLOCK)]! += thumb[y * THUMB + x]! / (BLOCK * BLOCK);
  }
  return { thumb, coarse };
}

/** Mean absolute difference; the block means' difference can never exceed the pixels'. */
function distance(a: Fingerprint, b: Fingerprint, limit: number): number | null {
  let coarse = 0;
  for (let i = 0; i < a.coarse.length; i++) coarse += Math.abs(a.coarse[i]! - b.coarse[i]!);
  if (coarse / a.coarse.length > limit) return null;
  let sum = 0;
  for (let i = 0; i < a.thumb.length; i++) sum += Math.abs(a.thumb[i]! - b.thumb[i]!);
  const d = sum / a.thumb.length;
  return d <= limit ? d : null;
}

function layoutOf(channels: number, space: string | undefined): string {
  if (space === 'cmyk') return 'cmyk';
  return ['grey', 'grey+alpha', 'rgb', 'rgba'][channels - 1] ?? `${channels} channels`;
}

function countBy<T>(items: readonly T[], key: (t: T) => string): Array<{ key: string; count: number }> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts].map(([k, count]) => ({ key: k, count })).sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1));
}

/**
 * The health report of an image-folder dataset: every file is read once (content hash,
 * header, a 32×32 thumbnail for near-duplicates), split exactly as training will split it
 * (same seed and validation share), and judged. Throws only when the folder itself is
 * unusable (the same errors as the scan). A GAN (`purpose: 'gan'`) learns from every image
 * under the folder as one set and holds none out, so nothing is split and nothing can leak.
 */
export async function imageFolderHealth(
  root: string,
  options: Partial<Pick<ImageDataConfig, 'validationSplit' | 'testSplit' | 'seed' | 'labels'>> = {},
  purpose: DataPurpose = 'classifier',
): Promise<ImageHealthReport> {
  const gan = purpose === 'gan';
  const validationSplit = gan ? 0 : options.validationSplit ?? 0.2;
  const testSplit = gan ? 0 : options.testSplit ?? 0;
  const seed = options.seed ?? 42;
  const listing = await listImages({ path: root, labels: options.labels ?? null }, purpose);
  const skipped: SkippedFile[] = [...listing.skipped];
  const candidates = listing.classes.flatMap((c) => c.files.map((rel) => ({ rel, className: c.name })));
  const prints = await mapWithConcurrency(candidates, IMAGE_IO_CONCURRENCY, async ({ rel, className }): Promise<Fingerprint | null> => {
    const file = absolutePath(listing.root, rel);
    try {
      // Read once: the hash, the header and the thumbnail all come from these bytes.
      const bytes = await fs.readFile(file);
      const meta = await usableImageHeader(bytes);
      return {
        rel, className,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        ...(await thumbnail(bytes)), // decodes every pixel: a truncated file fails here, as in training
        size: `${meta.autoOrient.width}×${meta.autoOrient.height}`,
        layout: layoutOf(meta.channels, meta.space),
      };
    } catch (err) {
      skipped.push({ file: rel, reason: await decodeFailureReason(file, err) });
      return null;
    }
  });
  const good = prints.filter((p): p is Fingerprint => p !== null);

  // Split exactly as the loader does (same keys, seed and shares).
  const splitOf = new Map<string, SplitName>();
  const classOf = new Map(good.map((p) => [p.rel, p.className]));
  const classes = listing.classes.map((cls) => {
    const files = good.filter((p) => p.className === cls.name).map((p) => p.rel);
    const keys = files.map((rel) => (rel.startsWith(`${cls.name}/`) ? rel.slice(cls.name.length + 1) : rel));
    const sides = gan ? keys.map((): SplitName => 'train') : assignSplits(cls.name, keys, validationSplit, testSplit, seed);
    files.forEach((rel, i) => splitOf.set(rel, sides[i]!));
    const count = (side: SplitName) => sides.filter((s) => s === side).length;
    return { name: cls.name, count: files.length, train: count('train'), validation: count('validation'), test: count('test') };
  });

  const group = (files: string[]) => ({
    files,
    splits: [...new Set(files.map((f) => splitOf.get(f)!))].sort(),
    crossClass: new Set(files.map((f) => classOf.get(f))).size > 1,
  });
  const bySha = new Map<string, string[]>();
  for (const p of good) bySha.set(p.sha256, [...(bySha.get(p.sha256) ?? []), p.rel]);
  const duplicates = [...bySha.values()].filter((files) => files.length > 1).map(group);

  // One representative per content hash, compared pairwise; the block-mean bound skips most pairs.
  const distinct = [...bySha.values()].map((files) => good.find((p) => p.rel === files[0])!);
  const nearDuplicates: ImageHealthReport['nearDuplicates'] = [];
  for (let i = 0; i < distinct.length; i++) {
    for (let j = i + 1; j < distinct.length; j++) {
      const d = distance(distinct[i]!, distinct[j]!, NEAR_DUPLICATE_DISTANCE);
      if (d !== null) nearDuplicates.push({ ...group([distinct[i]!.rel, distinct[j]!.rel]), distance: Math.round(d) });
    }
  }
  const leakage = [...duplicates, ...nearDuplicates].filter((g) => g.splits.length > 1).length;
  const nonEmpty = classes.filter((c) => c.count > 0);
  const imbalance = nonEmpty.length === 0 ? 1 : Math.max(...nonEmpty.map((c) => c.count)) / Math.min(...nonEmpty.map((c) => c.count));

  const report: ImageHealthReport = {
    root: listing.root, kind: 'image-folder', split: { validationSplit, testSplit, seed }, classes, total: good.length, imbalance,
    skipped, sizes: countBy(good, (p) => p.size).map(({ key, count }) => ({ size: key, count })),
    channels: countBy(good, (p) => p.layout).map(({ key, count }) => ({ layout: key, count })),
    duplicates, nearDuplicates, leakage, findings: [],
  };
  report.findings = findingsOf(report, gan);
  return report;
}

function findingsOf(r: ImageHealthReport, gan: boolean): ImageHealthReport['findings'] {
  const findings: ImageHealthReport['findings'] = [];
  const crossClass = [...r.duplicates, ...r.nearDuplicates].filter((g) => g.crossClass);
  for (const g of crossClass.slice(0, 5)) {
    findings.push({ severity: 'error', message: `The same picture is labelled as different classes: ${g.files.join(' and ')}. Keep it in the right class only.` });
  }
  if (r.leakage > 0) {
    findings.push({ severity: 'error', message: `${r.leakage} picture(s) are on both sides of the split (training and validation or test, as copies or near-copies), so measured accuracy will look better than it is. Remove the copies.` });
  }
  for (const c of r.classes.filter((c) => c.count === 0)) {
    findings.push({ severity: 'error', message: gan
      ? `"${r.root}" has no usable image: put the images the GAN should learn from in it (directly or in sub-folders).`
      : `Class "${c.name}" has no usable image: add images or remove the folder.` });
  }
  const nonEmpty = r.classes.filter((c) => c.count > 0);
  if (r.imbalance >= 3 && nonEmpty.length > 1) {
    const most = nonEmpty.reduce((a, b) => (b.count > a.count ? b : a));
    const least = nonEmpty.reduce((a, b) => (b.count < a.count ? b : a));
    findings.push({ severity: 'warning', message: `Classes are imbalanced: "${most.name}" has ${most.count} images, "${least.name}" ${least.count} (${r.imbalance.toFixed(1)}×). Collect more "${least.name}" images, or expect the model to favour "${most.name}".` });
  }
  for (const c of nonEmpty.filter((c) => c.count < 10)) {
    findings.push({ severity: 'warning', message: gan
      ? `"${r.root}" has only ${c.count} image(s): too few for a GAN to learn from; hundreds or more work better.`
      : `Class "${c.name}" has only ${c.count} image(s): too few to learn or to validate on.` });
  }
  const sameClassDupes = r.duplicates.filter((g) => !g.crossClass).length;
  if (sameClassDupes > 0) findings.push({ severity: 'warning', message: `${sameClassDupes} set(s) of identical files: each copy counts extra in training. Delete the copies.` });
  const sameClassNear = r.nearDuplicates.filter((g) => !g.crossClass).length;
  if (sameClassNear > 0) findings.push({ severity: 'info', message: `${sameClassNear} pair(s) of pictures look nearly identical (re-encoded, resized or edited copies, or simply very alike): worth a look.` });
  if (r.skipped.length > 0) findings.push({ severity: 'warning', message: `${r.skipped.length} file(s) will be skipped; each is listed with its reason.` });
  if (r.sizes.length > 1) findings.push({ severity: 'info', message: `Images come in ${r.sizes.length} sizes (most common ${r.sizes[0]!.size}); all are resized to the input size when loaded.` });
  if (r.channels.length > 1) findings.push({ severity: 'info', message: `Images mix channel layouts (${r.channels.map((c) => `${c.count} ${c.layout}`).join(', ')}); all are converted to the chosen channels when loaded.` });
  return findings;
}
