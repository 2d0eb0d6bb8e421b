import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import type { Explanation } from '../../src-shared/contract/commands.ts';
import type { ExplainInputSchema, ExplainMethodSchema } from '../../src-shared/contract/commands.ts';
import type { Prediction } from '../../src-shared/contract/engine-protocol.ts';
import { decodeImageFile } from '../data/image-folder/decode-image.ts';
import { StrataError } from '../strata-error.ts';
import { gradCam, lastConvLayer, vanillaGradient, type AttributionMap } from './explain/attribution-maps.ts';
import { pngDataUrl, renderInputPng, renderOverlayPng } from './explain/heatmap-overlay.ts';
import { saveModelFolder } from './io/model-folder.ts';
import { imageInput, loadRunModel, predictProbabilities, type RunModel } from './run-model.ts';

async function decodeFor(run: RunModel, file: string): Promise<Float32Array> {
  return decodeImageFile(file, imageInput(run.record).imageSize, imageInput(run.record).channels);
}

function validationFile(run: RunModel, index: number): { file: string; actual: string } {
  const rel = run.record.validationFiles[index];
  if (rel === undefined) {
    throw new StrataError('NO_SUCH_SAMPLE', `The run has ${run.record.validationFiles.length} validation images; there is no sample ${index}.`);
  }
  // Files are stored relative to the dataset folder; older runs (folder per class) have no labels list.
  return { file: path.join(run.record.data.path, rel), actual: run.record.validationLabels?.[index] ?? rel.split(/[\\/]/)[0]! };
}

/** A few validation images with their labels, for the window to pick from. */
export async function runSamples(runDir: string, count: number) {
  const run = await loadRunModel(runDir);
  const n = Math.min(count, run.record.validationFiles.length);
  // Spread the picks over the split so several classes show up.
  const step = run.record.validationFiles.length / Math.max(1, n);
  const [h, w] = imageInput(run.record).imageSize;
  return Promise.all(Array.from({ length: n }, async (_, k) => {
    const index = Math.floor(k * step);
    const { file, actual } = validationFile(run, index);
    const pixels = await decodeFor(run, file);
    return { index, label: actual, thumbnail: pngDataUrl(await renderInputPng(pixels, h, w, imageInput(run.record).channels, 56)) };
  }));
}

type Method = z.infer<typeof ExplainMethodSchema>;

/**
 * Predicts one preprocessed image and computes each method's attribution map for the
 * predicted class: the one piece of work behind the window's Explain panel and
 * `strata explain`.
 */
function attributeImage(run: RunModel, pixels: Float32Array, methods: readonly Method[]) {
  const { tf, record, model } = run;
  const [h, w] = imageInput(record).imageSize;
  const probabilities = predictProbabilities(run, pixels, 1)[0]!;
  const classIndex = probabilities.indexOf(Math.max(...probabilities));
  const convName = lastConvLayer(record.spec);
  if (methods.includes('gradcam') && !convName) {
    throw new StrataError('NO_CONV_LAYER', 'Grad-CAM needs a Conv2D layer; this network has none. Use the vanilla gradient (--method vanilla) instead.');
  }
  const x = tf.tensor4d(pixels, [1, h, w, imageInput(record).channels]);
  try {
    const maps = new Map<Method, AttributionMap>(methods.map((method) => [method,
      method === 'vanilla' ? vanillaGradient(tf, model, x, classIndex) : gradCam(tf, model, record.spec, x, classIndex, convName!)]));
    return { probabilities, classIndex, predicted: record.classes[classIndex]!, maps, convName };
  } finally {
    x.dispose();
  }
}

export async function explainRun(runDir: string, input: z.infer<typeof ExplainInputSchema>, methods: Method[]): Promise<Explanation> {
  const run = await loadRunModel(runDir);
  const { record } = run;
  const [h, w] = imageInput(record).imageSize;
  const c = imageInput(record).channels;
  const { file, actual } = input.kind === 'sample' ? validationFile(run, input.index) : { file: input.path, actual: null };
  const pixels = await decodeFor(run, file);
  const result = attributeImage(run, pixels, methods);
  const maps: Record<string, string> = {};
  for (const [method, map] of result.maps) maps[method] = pngDataUrl(await renderOverlayPng(pixels, h, w, c, map));
  return {
    classes: record.classes, probabilities: result.probabilities, predicted: result.predicted, actual,
    image: pngDataUrl(await renderInputPng(pixels, h, w, c)), maps, gradcamLayer: methods.includes('gradcam') ? result.convName : null,
  };
}

/** The raw attribution map of one method, for `strata explain --json` and the PNG writer. */
export async function attributionFor(runDir: string, file: string, method: Method) {
  const run = await loadRunModel(runDir);
  const { record } = run;
  const [h, w] = imageInput(record).imageSize;
  const pixels = await decodeFor(run, file);
  const result = attributeImage(run, pixels, [method]);
  const map = result.maps.get(method)!;
  const overlay = await renderOverlayPng(pixels, h, w, imageInput(record).channels, map);
  return { classes: record.classes, probabilities: result.probabilities, predicted: result.predicted, map, overlay };
}

export async function predictFiles(runDir: string, files: string[]): Promise<Prediction[]> {
  const run = await loadRunModel(runDir);
  const out: Prediction[] = [];
  for (const file of files) {
    const probs = predictProbabilities(run, await decodeFor(run, file), 1)[0]!;
    const best = probs.indexOf(Math.max(...probs));
    out.push({ file, predicted: run.record.classes[best]!, probabilities: Object.fromEntries(run.record.classes.map((c, i) => [c, probs[i]!])) });
  }
  return out;
}

/**
 * Exports the run's latest weights as a tfjs layers model (model.json + weights.bin), plus
 * metadata.json saying how inputs must be prepared and what the outputs mean.
 */
export async function exportTfjs(runDir: string, outDir: string): Promise<{ outDir: string; files: string[] }> {
  const run = await loadRunModel(runDir);
  const dir = path.resolve(outDir);
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) {
    throw new StrataError('NOT_A_FOLDER', `${dir} is a file; choose a folder to export into.`);
  }
  const files = await saveModelFolder(run.tf, run.model, dir);
  const { record } = run;
  const softmax = record.spec.config.layers.find((l) => l.name === run.model.outputNames[0])?.config.activation === 'softmax';
  const metadata = {
    format: 'tfjs-layers-model', createdBy: 'Strata', runId: record.runId, epoch: record.checkpointEpoch,
    classes: record.classes,
    // Images: how pixels are laid out. Tables, texts, series: the preprocessing (statistics,
    // categories, vocabulary, window) that turns raw inputs into what the model takes.
    input: record.data.kind === 'image-folder'
      ? { height: record.data.imageSize[0], width: record.data.imageSize[1], channels: record.data.channels, range: [0, 1], layout: 'NHWC' }
      : { preprocessing: record.preprocessing ?? null },
    output: record.targets?.type === 'regression'
      ? { values: record.targets.columns, standardised: { mean: record.targets.mean, std: record.targets.std } }
      : softmax ? 'probabilities' : 'logits',
  };
  fs.writeFileSync(path.join(dir, 'metadata.json'), `${JSON.stringify(metadata, null, 2)}\n`);
  return { outDir: dir, files: [...files, 'metadata.json'] };
}
