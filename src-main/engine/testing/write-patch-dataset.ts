import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { seededRandom } from '../../../src-shared/util/seeded-random.ts';

/** A rectangle in input pixels. */
export interface PatchRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** One written image: its file (absolute), its class and where its bright patches are. */
export interface PatchSample {
  file: string;
  className: PatchClass;
  /** Every bright patch in the image: the decisive one first when the class is `marked`, then the distractors. */
  patches: PatchRect[];
}

export type PatchClass = 'marked' | 'plain';

export interface PatchDataset {
  imageSize: [number, number];
  classes: PatchClass[];
  /** Where the bright patch of a `marked` image always is: the only thing that tells the classes apart. */
  decisive: PatchRect;
  samples: PatchSample[];
}

const overlaps = (a: PatchRect, b: PatchRect, margin: number): boolean =>
  a.x < b.x + b.width + margin && b.x < a.x + a.width + margin && a.y < b.y + b.height + margin && b.y < a.y + a.height + margin;

/**
 * Writes a two-class image-folder dataset (`dir/marked`, `dir/plain`; one-channel PNGs) whose
 * label is decided ONLY by a small bright patch at one fixed place — ground truth for
 * attribution maps. A `marked` image has a bright checkered patch at `decisive`; a `plain`
 * image has nothing there. Every image of both classes also has one or two bright solid
 * distractor patches at random places clear of `decisive`, drawn the same way for both
 * classes, on a textured grey background. So brightness, or a bright patch as such, does not
 * give the class away, nor does anything outside `decisive`: a map that explains the model's
 * decision for `marked` must point there, not at the distractors. The checker texture (rather
 * than location alone) lets a translation-equivariant CNN with a global-pooling head — the
 * kind Grad-CAM is defined for — tell the classes apart. The same seed writes the same files.
 */
export async function writePatchDataset(dir: string, { perClass, seed, size = 32 }: { perClass: number; seed: number; size?: number }): Promise<PatchDataset> {
  if (!Number.isInteger(perClass) || perClass < 1) throw new RangeError(`writePatchDataset: perClass must be a positive integer, got ${perClass}`);
  if (!Number.isInteger(size) || size < 24) throw new RangeError(`writePatchDataset: size must be an integer ≥ 24, got ${size}`);
  const random = seededRandom(seed);
  const side = Math.max(4, Math.round(size / 5));
  // Off-centre (upper left), so a map drawn to the middle of the image does not pass by luck.
  const decisive: PatchRect = { x: Math.round(size * 0.16), y: Math.round(size * 0.2), width: side, height: side };
  const classes: PatchClass[] = ['marked', 'plain'];
  const samples: PatchSample[] = [];
  const width = String(perClass - 1).length;
  for (const className of classes) {
    await fs.mkdir(path.join(dir, className), { recursive: true });
    for (let k = 0; k < perClass; k++) {
      const patches = className === 'marked' ? [decisive] : [];
      // One or two distractors, drawn the same way for both classes: nothing outside `decisive` hints at the class.
      const wanted = patches.length + 1 + Math.floor(random() * 2);
      while (patches.length < wanted) {
        const candidate = { x: Math.floor(random() * (size - side)), y: Math.floor(random() * (size - side)), width: side, height: side };
        // Distractors keep clear of the decisive place (and each other), so they never mark a plain image.
        if (!overlaps(candidate, decisive, 2) && patches.every((p) => !overlaps(candidate, p, 1))) patches.push(candidate);
      }
      const file = path.join(dir, className, `${className}-${String(k).padStart(width, '0')}.png`);
      await fs.writeFile(file, await pngOf(drawImage(size, patches, className === 'marked', random), size));
      samples.push({ file, className, patches });
    }
  }
  return { imageSize: [size, size], classes, decisive, samples };
}

/**
 * A smooth random background (coarse noise, bilinearly upsampled, plus grain) with bright
 * patches: solid ones, and a checkered one first when `decisiveFirst`.
 */
function drawImage(size: number, patches: readonly PatchRect[], decisiveFirst: boolean, random: () => number): Uint8Array {
  const grid = 5;
  const coarse = Array.from({ length: grid * grid }, () => random());
  const at = (gx: number, gy: number) => coarse[Math.min(grid - 1, gy) * grid + Math.min(grid - 1, gx)]!;
  const bytes = new Uint8Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const fx = (x / size) * (grid - 1);
      const fy = (y / size) * (grid - 1);
      const gx = Math.floor(fx);
      const gy = Math.floor(fy);
      const tx = fx - gx;
      const ty = fy - gy;
      const smooth = (at(gx, gy) * (1 - tx) + at(gx + 1, gy) * tx) * (1 - ty) + (at(gx, gy + 1) * (1 - tx) + at(gx + 1, gy + 1) * tx) * ty;
      bytes[y * size + x] = Math.round(255 * (0.1 + 0.3 * smooth + 0.12 * random()));
    }
  }
  patches.forEach((p, k) => {
    const checkered = k === 0 && decisiveFirst;
    for (let y = p.y; y < p.y + p.height; y++) {
      for (let x = p.x; x < p.x + p.width; x++) {
        const value = checkered ? ((Math.floor(x / 2) + Math.floor(y / 2)) % 2 === 0 ? 1 : 0.65) : 0.85 + 0.15 * random();
        bytes[y * size + x] = Math.round(255 * value);
      }
    }
  });
  return bytes;
}

function pngOf(bytes: Uint8Array, size: number): Promise<Buffer> {
  return sharp(bytes, { raw: { width: size, height: size, channels: 1 } })
    .toColourspace('b-w') // otherwise sharp writes the one channel as three
    .png()
    .toBuffer();
}
