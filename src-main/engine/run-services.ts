import fs from 'node:fs';
import path from 'node:path';
import type { Prediction } from '../../src-shared/contract/engine-protocol.ts';
import { decodeImageFile } from '../data/image-folder/decode-image.ts';
import { StrataError } from '../strata-error.ts';
import { saveModelFolder } from './io/model-folder.ts';
import { imageInput, loadRunModel, predictProbabilities } from './run-model.ts';

export async function predictFiles(runDir: string, files: string[]): Promise<Prediction[]> {
  const run = await loadRunModel(runDir);
  const out: Prediction[] = [];
  for (const file of files) {
    const { imageSize, channels } = imageInput(run.record);
    const probs = predictProbabilities(run, await decodeImageFile(file, imageSize, channels), 1)[0]!;
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
