import sharp from 'sharp';
import type { AttributionMap } from './attribution-maps.ts';

// A perceptually ordered colour map (a compact "inferno"-like ramp): dark = no attribution.
const RAMP: Array<[number, number, number]> = [
  [0, 0, 4], [40, 11, 84], [101, 21, 110], [159, 42, 99], [212, 72, 66], [245, 125, 21], [250, 193, 39], [252, 255, 164],
];

function colour(v: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, v)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(x));
  const f = x - i;
  const a = RAMP[i]!;
  const b = RAMP[i + 1]!;
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

/** The model's input pixels (0–1, h×w×c) as RGB bytes. */
function inputRgb(pixels: Float32Array, h: number, w: number, channels: number): Uint8Array {
  const out = new Uint8Array(h * w * 3);
  for (let p = 0; p < h * w; p++) {
    for (let k = 0; k < 3; k++) {
      const v = pixels[p * channels + (channels === 1 ? 0 : k)]!;
      out[p * 3 + k] = Math.round(Math.min(1, Math.max(0, v)) * 255);
    }
  }
  return out;
}

async function toPng(rgb: Uint8Array, h: number, w: number, viewSize: number): Promise<Buffer> {
  const scale = Math.max(1, Math.floor(viewSize / Math.max(h, w)));
  return sharp(Buffer.from(rgb), { raw: { width: w, height: h, channels: 3 } })
    .resize(w * scale, h * scale, { kernel: 'nearest' })
    .png()
    .toBuffer();
}

/** The input as the model saw it, enlarged for viewing. */
export function renderInputPng(pixels: Float32Array, h: number, w: number, channels: number, viewSize = 224): Promise<Buffer> {
  return toPng(inputRgb(pixels, h, w, channels), h, w, viewSize);
}

/** The attribution map blended over the input (opacity grows with attribution). */
export function renderOverlayPng(pixels: Float32Array, h: number, w: number, channels: number, attribution: AttributionMap, viewSize = 224): Promise<Buffer> {
  const base = inputRgb(pixels, h, w, channels);
  const out = new Uint8Array(h * w * 3);
  for (let p = 0; p < h * w; p++) {
    const v = attribution.map[p] ?? 0;
    const c = colour(v);
    const alpha = 0.35 + 0.5 * v;
    for (let k = 0; k < 3; k++) out[p * 3 + k] = Math.round(base[p * 3 + k]! * (1 - alpha) + c[k]! * alpha);
  }
  return toPng(out, h, w, viewSize);
}

/**
 * The attribution map alone, as RGBA: the colour ramp with alpha growing with attribution,
 * so the window can lay it over the input at any opacity and weak attribution stays clear.
 */
export function renderHeatmapPng(attribution: AttributionMap, viewSize = 224): Promise<Buffer> {
  const { width: w, height: h } = attribution;
  const out = new Uint8Array(h * w * 4);
  for (let p = 0; p < h * w; p++) {
    const v = Math.min(1, Math.max(0, attribution.map[p] ?? 0));
    const c = colour(v);
    out[p * 4] = Math.round(c[0]);
    out[p * 4 + 1] = Math.round(c[1]);
    out[p * 4 + 2] = Math.round(c[2]);
    out[p * 4 + 3] = Math.round(255 * (0.15 + 0.85 * v));
  }
  const scale = Math.max(1, Math.floor(viewSize / Math.max(h, w)));
  return sharp(Buffer.from(out), { raw: { width: w, height: h, channels: 4 } }).resize(w * scale, h * scale, { kernel: 'nearest' }).png().toBuffer();
}

export function pngDataUrl(png: Buffer): string {
  return `data:image/png;base64,${png.toString('base64')}`;
}
