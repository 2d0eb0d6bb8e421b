import sharp from 'sharp';

/** Images as the GAN hands them out: `count × h × w × c` floats in [0, 1], row-major. */
export interface ImageBatch {
  pixels: Float32Array;
  count: number;
  height: number;
  width: number;
  channels: number;
}

/** [0, 1] floats → 0–255 bytes: the denormalisation every file Strata writes of a GAN image goes through. */
function toBytes(values: Float32Array): Buffer {
  const bytes = Buffer.alloc(values.length);
  for (let i = 0; i < values.length; i++) bytes[i] = Math.round(Math.min(1, Math.max(0, values[i]!)) * 255);
  return bytes;
}

async function encodePng(bytes: Buffer, width: number, height: number, channels: number): Promise<Buffer> {
  const image = sharp(bytes, { raw: { width, height, channels: channels as 1 | 3 } });
  // Without b-w sharp writes one channel as three.
  return (channels === 1 ? image.toColourspace('b-w') : image).png().toBuffer();
}

/** One PNG per image. */
export async function encodeImagePngs(batch: ImageBatch): Promise<Buffer[]> {
  const { count, height, width, channels } = batch;
  const size = height * width * channels;
  const out: Buffer[] = [];
  for (let i = 0; i < count; i++) out.push(await encodePng(toBytes(batch.pixels.subarray(i * size, (i + 1) * size)), width, height, channels));
  return out;
}

/**
 * The images tiled `columns` wide with a 2-pixel dark gutter, as one PNG: the sample grid
 * the Train tab's timeline shows for each epoch.
 */
export async function encodeImageGrid(batch: ImageBatch, columns: number): Promise<{ png: Buffer; width: number; height: number }> {
  const { count, height: h, width: w, channels: c } = batch;
  const gutter = 2;
  const rows = Math.ceil(count / columns);
  const width = columns * w + (columns + 1) * gutter;
  const height = rows * h + (rows + 1) * gutter;
  const grid = new Float32Array(width * height * c);
  for (let i = 0; i < count; i++) {
    const top = gutter + Math.floor(i / columns) * (h + gutter);
    const left = gutter + (i % columns) * (w + gutter);
    for (let y = 0; y < h; y++) {
      const from = ((i * h + y) * w) * c;
      grid.set(batch.pixels.subarray(from, from + w * c), ((top + y) * width + left) * c);
    }
  }
  return { png: await encodePng(toBytes(grid), width, height, c), width, height };
}
