import path from 'node:path';
import type { ExplainMethod, ExplainOptions, Explanation, SanityCheck } from '../../../src-shared/contract/explanation.ts';
import { decodeImageFile } from '../../data/image-folder/decode-image.ts';
import { StrataError } from '../../strata-error.ts';
import { imageInput, loadRunModel, predictProbabilities, type RunModel } from '../run-model.ts';
import { attribute, conv2dLayers, lastConvLayer, type AttributionMap } from './attribution-maps.ts';
import { sanityCheck } from './explain-sanity.ts';
import { pngDataUrl, renderHeatmapPng, renderInputPng, renderOverlayPng } from './heatmap-overlay.ts';

export type ImageInput = { kind: 'sample'; index: number } | { kind: 'file'; path: string };

function decodeFor(run: RunModel, file: string): Promise<Float32Array> {
  const { imageSize, channels } = imageInput(run.record);
  return decodeImageFile(file, imageSize, channels);
}

/** A validation image of the run by index: its file and its true class. */
function validationFile(run: RunModel, index: number): { file: string; actual: string } {
  const rel = run.record.validationFiles[index];
  if (rel === undefined) {
    throw new StrataError('NO_SUCH_SAMPLE', `The run has ${run.record.validationFiles.length} validation images; there is no sample ${index}.`);
  }
  // Files are stored relative to the dataset folder; older runs (folder per class) have no labels list.
  return { file: path.join(run.record.data.path, rel), actual: run.record.validationLabels?.[index] ?? rel.split(/[\\/]/)[0]! };
}

/** One input of an image run, decoded the way the run's model takes it. */
async function inputPixels(run: RunModel, input: ImageInput): Promise<{ pixels: Float32Array; actual: string | null }> {
  const { file, actual } = input.kind === 'sample' ? validationFile(run, input.index) : { file: input.path, actual: null };
  return { pixels: await decodeFor(run, file), actual };
}

function shapeOf(run: RunModel): [number, number, number] {
  const { imageSize: [h, w], channels } = imageInput(run.record);
  return [h, w, channels];
}

/** The prediction for one image and each method's map of the predicted class, with its time. */
function attributeImage(run: RunModel, pixels: Float32Array, methods: readonly ExplainMethod[], options: ExplainOptions) {
  const { tf, record, model } = run;
  const probabilities = predictProbabilities(run, pixels, 1)[0]!;
  const classIndex = probabilities.indexOf(Math.max(...probabilities));
  const convName = options.gradcam.layer ?? lastConvLayer(record.spec);
  if (methods.includes('gradcam') && !convName) {
    throw new StrataError('NO_CONV_LAYER', 'Grad-CAM needs a Conv2D layer; this network has none. Use another method (gradient, SmoothGrad, Integrated Gradients or occlusion).');
  }
  const maps = new Map<ExplainMethod, AttributionMap>();
  const timings: Record<string, number> = {};
  for (const method of methods) {
    const started = performance.now();
    maps.set(method, attribute(tf, model, record.spec, pixels, shapeOf(run), classIndex, method, options));
    timings[method] = performance.now() - started;
  }
  return { probabilities, classIndex, predicted: record.classes[classIndex]!, maps, timings, convName };
}

export async function explainImage(runDir: string, input: ImageInput, methods: ExplainMethod[], options: ExplainOptions): Promise<Explanation> {
  const run = await loadRunModel(runDir);
  const [h, w, c] = shapeOf(run);
  const { pixels, actual } = await inputPixels(run, input);
  const result = attributeImage(run, pixels, methods, options);
  const maps: Record<string, string> = {};
  for (const [method, map] of result.maps) maps[method] = pngDataUrl(await renderHeatmapPng(map));
  return {
    classes: run.record.classes, probabilities: result.probabilities, predicted: result.predicted, actual,
    image: pngDataUrl(await renderInputPng(pixels, h, w, c)), maps, timings: result.timings,
    gradcamLayer: methods.includes('gradcam') ? result.convName : null, convLayers: conv2dLayers(run.record.spec),
  };
}

/** The raw attribution map of one method, for `strata explain --json` and the PNG writer. */
export async function attributionFor(runDir: string, file: string, method: ExplainMethod, options: ExplainOptions) {
  const run = await loadRunModel(runDir);
  const [h, w, c] = shapeOf(run);
  const pixels = await decodeFor(run, file);
  const result = attributeImage(run, pixels, [method], options);
  const map = result.maps.get(method)!;
  const overlay = await renderOverlayPng(pixels, h, w, c, map);
  return { classes: run.record.classes, probabilities: result.probabilities, predicted: result.predicted, map, overlay, milliseconds: result.timings[method]! };
}

/**
 * "Check this explanation": the method's map under the trained weights vs under random
 * weights. A map that barely changes does not depend on what the model learned.
 */
export async function checkExplanation(runDir: string, input: ImageInput, method: ExplainMethod, options: ExplainOptions): Promise<SanityCheck> {
  const run = await loadRunModel(runDir);
  const [h, w, c] = shapeOf(run);
  const { pixels } = await inputPixels(run, input);
  const probabilities = predictProbabilities(run, pixels, 1)[0]!;
  const classIndex = probabilities.indexOf(Math.max(...probabilities));
  const check = sanityCheck(run.tf, run.model, run.record.spec, pixels, [h, w, c], classIndex, method, options);
  const r = check.rankCorrelation.toFixed(2);
  return {
    method, rankCorrelation: check.rankCorrelation, threshold: check.threshold, passed: check.passed,
    randomisedMap: pngDataUrl(await renderHeatmapPng(check.randomMap)),
    verdict: check.passed
      ? `Passed: with random weights the map changes (rank correlation ${r} < ${check.threshold}), so it reflects what the model learned.`
      : `Failed: with random weights the map stays alike (rank correlation ${r} ≥ ${check.threshold}); it shows the input's edges more than the model's reasons — prefer another method.`,
  };
}
