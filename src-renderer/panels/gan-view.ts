import type { DataConfig, ImageDataConfig } from '../../src-shared/contract/data-config.ts';
import type { GanSpec } from '../../src-shared/contract/gan.ts';
import { checkGan } from '../../src-shared/graph/gan-check.ts';
import { DISCRIMINATOR_PREFIX, GENERATOR_PREFIX, splitGanCanvas } from '../../src-shared/graph/gan-canvas.ts';
import { updateConfig } from '../../src-shared/graph/graph-edits.ts';
import type { ModelSpec } from '../../src-shared/spec/model-spec.ts';

/**
 * What the GAN panel shows about the canvas before training, pure so it is tested without
 * React: the checks (each naming the canvas layer to select), whether Train can start and
 * with which GanSpec, the noise size and how to change it, and the timeline's frame.
 */

/** One line of the checks list; `layer` is the layer's name on the canvas (gen_… / disc_…), when one is at fault. */
export interface GanCheck {
  severity: 'error' | 'warning';
  network: 'generator' | 'discriminator' | null;
  layer: string | null;
  message: string;
}

export interface GanReadiness {
  /** The two networks as `gan.start` takes them; null when the canvas does not split into a generator and a discriminator. */
  gan: GanSpec | null;
  /** The image folder to train on; null when the data is not one. */
  data: ImageDataConfig | null;
  checks: GanCheck[];
  /** Why Train is disabled, in words; null when it can start. */
  blocker: string | null;
}

/** The images' shape [h, w, c] as training loads them, or null when the data is not an image folder. */
export function imageShapeOf(data: DataConfig | null): number[] | null {
  return data?.kind === 'image-folder' ? [data.imageSize[0], data.imageSize[1], data.channels] : null;
}

/** The canvas name of a layer that a check names by its name inside one network. */
function canvasName(canvas: ModelSpec, network: 'generator' | 'discriminator', layer: string | undefined): string | null {
  if (layer === undefined) return null;
  const names = new Set(canvas.config.layers.map((l) => l.name));
  const prefixed = `${network === 'generator' ? GENERATOR_PREFIX : DISCRIMINATOR_PREFIX}${layer}`.slice(0, 64);
  return names.has(prefixed) ? prefixed : names.has(layer) ? layer : null;
}

/** A split problem names a layer of the graph it is about in quotes: select that one. */
function quotedLayer(canvas: ModelSpec, problem: string): string | null {
  const m = /"([^"]+)"/.exec(problem);
  return m && canvas.config.layers.some((l) => l.name === m[1]) ? m[1]! : null;
}

export function ganReadiness(canvas: ModelSpec, data: DataConfig | null, active: boolean): GanReadiness {
  const split = splitGanCanvas(canvas);
  const checks: GanCheck[] = split.ok ? [] : split.problems.map((message) => ({ severity: 'error', network: null, layer: quotedLayer(canvas, message), message: capitalize(message) }));
  const imageData = data?.kind === 'image-folder' ? data : null;
  const shape = imageShapeOf(data);
  if (split.ok && shape) {
    for (const issue of checkGan(split.gan, shape)) {
      checks.push({ severity: issue.severity, network: issue.network, layer: canvasName(canvas, issue.network, issue.layer), message: issue.message });
    }
  }
  const errors = checks.filter((c) => c.severity === 'error').length;
  const blocker = active ? null
    : !data ? 'Choose a folder of images in the Data tab: the GAN learns to make images like them.'
      : !imageData ? 'A GAN learns from a folder of images; the chosen data is not one.'
        : errors > 0 ? `Fix the ${errors} problem${errors === 1 ? '' : 's'} listed above first.`
          : null;
  return { gan: split.ok ? split.gan : null, data: imageData, checks, blocker };
}

/** The generator's Input on the canvas (the Input whose shape is a vector) and its length: the noise size. */
export function noiseInput(canvas: ModelSpec): { layer: string; size: number } | null {
  const vectors = canvas.config.layers.filter((l) => {
    const shape = l.config.shape;
    return l.class_name === 'Input' && Array.isArray(shape) && shape.length === 1 && typeof shape[0] === 'number';
  });
  const input = vectors.find((l) => l.name.startsWith(GENERATOR_PREFIX)) ?? vectors[0];
  return input ? { layer: input.name, size: (input.config.shape as number[])[0]! } : null;
}

/** The canvas with the generator reading `size` random numbers (one edit, so one undo step). */
export function withNoiseSize(canvas: ModelSpec, size: number): ModelSpec {
  const input = noiseInput(canvas);
  if (!input || input.size === size) return canvas;
  return updateConfig(canvas, input.layer, { shape: [size] });
}

/**
 * The timeline frame to show: the one the user picked, or the newest while they have not
 * moved the slider (`picked` null) — so a live run's newest grid appears as it lands.
 */
export function timelineIndex(frameCount: number, picked: number | null): number {
  const latest = frameCount - 1;
  return picked === null ? latest : Math.max(0, Math.min(picked, latest));
}

/** Where "Export generator" writes: a folder for tfjs, `<folder>/<run>-generator.onnx` for ONNX. */
export function generatorExportPath(format: 'tfjs' | 'onnx', folder: string, runId: string): string {
  const base = folder.replace(/[\\/]+$/, '');
  const sep = base.includes('\\') && !base.includes('/') ? '\\' : '/';
  return format === 'tfjs' ? `${base}${sep}${runId}-generator` : `${base}${sep}${runId}-generator.onnx`;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
