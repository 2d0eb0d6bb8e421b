import fs from 'node:fs';
import path from 'node:path';
import type * as tfType from '@tensorflow/tfjs';
import type { NonImageAttribution } from '../../../src-shared/contract/explanation.ts';
import type { Preprocessing } from '../../../src-shared/contract/preprocessing.ts';
import type { RunRecord } from '../../../src-shared/contract/run-record.ts';
import { analyzeGraph } from '../../../src-shared/graph/analyze-graph.ts';
import type { ModelSpec } from '../../../src-shared/spec/model-spec.ts';
import { encodeRow, splitTable } from '../../data/table/load-table-dataset.ts';
import { readCsv } from '../../data/table/read-csv.ts';
import { readTexts } from '../../data/text/read-texts.ts';
import { encodeTokens, PAD_ID, tokenize, UNKNOWN_ID, vocabularyIndex } from '../../data/text/tokenize.ts';
import { StrataError } from '../../strata-error.ts';
import type { Tf } from '../backend/load-engine-backend.ts';
import { loadRunModel, type RunModel } from '../run-model.ts';
import { integratedGradients } from './attribution-maps.ts';
import { readRunRecord } from '../train/run-store.ts';

/** A sample of the run's own split, by its position in run.json's list for that split. */
export interface SampleRef { split?: 'validation' | 'test' }
export type TableSampleRef = { rowIndex: number } & SampleRef;
export interface AttributionOptions {
  /**
   * The class (or, for regression, the output) explained; the predicted class (the first
   * output) when absent. Its score is the model's output: the probability with a softmax
   * head, the logit or the standardised value otherwise.
   */
  classIndex?: number;
  /** Riemann steps from the baseline to the input, all in one batch on the engine. */
  steps?: number;
}
export interface NonImageExplanation {
  /** The predicted class, or for regression the first output turned back into the target's units. */
  predicted: string;
  /** Class probabilities (empty for regression). */
  probabilities: number[];
  classes: string[];
  attribution: NonImageAttribution;
}

const DEFAULT_STEPS = 64;
type TableFeatures = Extract<Preprocessing, { kind: 'table' }>['features'];

// A CSV may well have a column named rowIndex; its value would be a string, never a number.
function isSampleRef(row: Record<string, string> | TableSampleRef): row is TableSampleRef {
  return typeof row.rowIndex === 'number';
}

/** The run's record, refused unless it trained on `kind` (checked before any weights load). */
function recordOfKind(runDir: string, kind: 'csv-table' | 'text'): RunRecord {
  const record = readRunRecord(path.resolve(runDir));
  if (record.data.kind === kind) return record;
  const wanted = kind === 'csv-table' ? 'a CSV table (explainTableRow)' : 'texts (explainText)';
  const other = record.data.kind === 'image-folder'
    ? 'images; explain its predictions with the image methods (vanilla gradient, Grad-CAM: the Explain panel with an image, or `strata explain --input <image>`)'
    : record.data.kind === 'text' ? 'texts; explain a text with explainText'
      : record.data.kind === 'csv-table' ? 'a CSV table; explain a row with explainTableRow'
        : 'a time series; attributions for forecasting windows are not available yet';
  throw new StrataError('WRONG_RUN_KIND', `This run (${runDir}) trained on ${other}. Feature attributions here need a run trained on ${wanted}.`);
}

function checkOptions(options: AttributionOptions): number {
  const steps = options.steps ?? DEFAULT_STEPS;
  if (!Number.isInteger(steps) || steps < 1 || steps > 300) {
    throw new StrataError('BAD_STEPS', `Integrated Gradients takes 1 to 300 steps (a whole number); got ${steps}. 32–64 is usually enough.`);
  }
  return steps;
}

/** The id run.json keeps for sample `index` of a split (`row 12`, or a text's file). */
function sampleId(record: RunRecord, index: number, split: 'validation' | 'test'): string {
  const ids = split === 'test' ? record.testFiles ?? [] : record.validationFiles;
  const id = Number.isInteger(index) ? ids[index] : undefined;
  if (id === undefined) {
    throw new StrataError('NO_SUCH_SAMPLE', `The run has ${ids.length} ${split} sample${ids.length === 1 ? '' : 's'}; there is no sample ${index}. Pick one from 0 to ${ids.length - 1}.`);
  }
  return id;
}

function dataRowNumber(id: string): number {
  const match = /^row (\d+)$/.exec(id);
  if (!match) throw new StrataError('BAD_RUN_RECORD', `run.json names the sample "${id}", which is not a CSV row ("row N").`);
  return Number(match[1]);
}

/**
 * The model's output for one encoded sample, and what the person reads from it: the class
 * and the probabilities, or the explained regression output back in the target's units.
 */
function readPrediction(run: RunModel, output: number[], options: AttributionOptions): { predicted: string; probabilities: number[]; explained: number } {
  const { record, model } = run;
  const targets = record.targets;
  if (targets?.type === 'regression') {
    const explained = options.classIndex ?? 0;
    checkClassIndex(explained, targets.columns.length, targets.columns);
    return { predicted: String(output[explained]! * targets.std[explained]! + targets.mean[explained]!), probabilities: [], explained };
  }
  // A head without softmax gives logits; the probabilities shown are their softmax.
  const softmaxHead = record.spec.config.layers.find((l) => l.name === model.outputNames[0])?.config.activation === 'softmax';
  const exp = output.map((v) => Math.exp(v - Math.max(...output)));
  const probabilities = softmaxHead ? output : exp.map((e) => e / exp.reduce((a, b) => a + b, 0));
  const best = probabilities.indexOf(Math.max(...probabilities));
  const explained = options.classIndex ?? best;
  checkClassIndex(explained, record.classes.length, record.classes);
  return { predicted: record.classes[best]!, probabilities, explained };
}

function checkClassIndex(index: number, count: number, names: readonly string[]): void {
  if (!Number.isInteger(index) || index < 0 || index >= count) {
    throw new StrataError('NO_SUCH_CLASS', `There is no output ${index}; this model has ${count} (${names.map((n, i) => `${i} = ${n}`).join(', ')}).`);
  }
}

/** The raw values of the feature columns: from the run's CSV for a sample, or as given. */
function tableRowValues(record: RunRecord, features: TableFeatures, row: Record<string, string> | TableSampleRef): { row: string[]; colOf: Map<string, number> } {
  if (isSampleRef(row)) {
    const rowNumber = dataRowNumber(sampleId(record, row.rowIndex, row.split ?? 'validation'));
    const table = readCsv(record.data.path);
    const r = table.rowNumbers.indexOf(rowNumber);
    if (r < 0) throw new StrataError('SAMPLE_GONE', `Row ${rowNumber} of ${table.file} is no longer there (the file changed since training); pick another sample or give the row's values.`);
    return { row: table.rows[r]!, colOf: new Map(table.columns.map((c, i) => [c, i])) };
  }
  const given = row as Record<string, string>;
  const missing = features.filter((f) => typeof given[f.column] !== 'string').map((f) => f.column);
  if (missing.length > 0) {
    throw new StrataError('MISSING_COLUMN', `The row has no value for ${missing.map((c) => `"${c}"`).join(', ')}; the model reads the columns ${features.map((f) => f.column).join(', ')}. Give each of them (an empty string counts as missing).`);
  }
  return { row: features.map((f) => given[f.column]!), colOf: new Map(features.map((f, i) => [f.column, i])) };
}

const trainingMeans = new Map<string, Float32Array>();

/**
 * IG's baseline for a table: the mean of the encoded training rows, i.e. the encoding of the
 * training mean — 0 for standardised numbers and the training frequencies for a one-hot
 * group (preprocessing does not keep them, so they are counted from the run's CSV with the
 * run's own split and encoder). All-zero one-hot groups would be a row "with no category",
 * which the model never saw: a column that decides nothing then still takes a share of the
 * score (measured: irrelevant categories outweighing the decisive number near its mean).
 * When the CSV cannot be read any more, each category gets 1/k (equal frequencies).
 */
function trainingMeanEncoding(record: RunRecord, features: TableFeatures, width: number): Float32Array {
  const data = record.data;
  if (data.kind !== 'csv-table') throw new Error('trainingMeanEncoding: not a table run');
  const stat = fs.statSync(data.path, { throwIfNoEntry: false });
  const key = `${path.resolve(data.path)}\u0000${stat?.mtimeMs}\u0000${stat?.size}\u0000${JSON.stringify(features)}`;
  const cached = trainingMeans.get(key);
  if (cached) return cached;
  const mean = new Float32Array(width);
  try {
    const { table, sides } = splitTable(data);
    const colOf = new Map(table.columns.map((c, i) => [c, i]));
    const encoded = new Float32Array(sides.train.length * width);
    sides.train.forEach((r, k) => encodeRow(table.rows[r]!, features, colOf, encoded, k * width));
    encoded.forEach((v, j) => { mean[j % width] = mean[j % width]! + v / sides.train.length; });
  } catch {
    let o = 0;
    for (const f of features) {
      if (f.type === 'categorical') mean.fill(1 / Math.max(1, f.categories.length), o, o + f.categories.length);
      o += f.type === 'numeric' ? 1 : f.categories.length;
    }
  }
  trainingMeans.set(key, mean);
  return mean;
}

/**
 * Integrated Gradients for one row of a table model: one signed bar per source column
 * (a categorical column's one-hot inputs summed), positive pushing toward the explained class.
 */
export async function explainTableRow(
  runDir: string, row: Record<string, string> | TableSampleRef, options: AttributionOptions = {},
): Promise<NonImageExplanation> {
  const record = recordOfKind(runDir, 'csv-table');
  const steps = checkOptions(options);
  const prep = record.preprocessing;
  if (prep?.kind !== 'table') throw new StrataError('BAD_RUN_RECORD', `run.json in ${runDir} does not say how its table rows were encoded; train the run again.`);
  const values = tableRowValues(record, prep.features, row);
  const run = await loadRunModel(runDir);
  const { tf, model } = run;
  const width = prep.features.reduce((w, f) => w + (f.type === 'numeric' ? 1 : f.categories.length), 0);
  const encoded = new Float32Array(width);
  encodeRow(values.row, prep.features, values.colOf, encoded, 0);

  const x = tf.tensor2d(encoded, [1, width]);
  try {
    const output = tf.tidy(() => (model.predict(x) as tfType.Tensor2D).arraySync()[0]!);
    const { predicted, probabilities, explained } = readPrediction(run, output, options);
    const baselineValues = trainingMeanEncoding(record, prep.features, width);
    const perInput = tf.tidy(() => integratedGradients(
      tf, (batch) => model.apply(batch) as tfType.Tensor2D, x, tf.tensor2d(baselineValues, [1, width]), explained, steps,
    ).dataSync() as Float32Array);
    let o = 0;
    const features = prep.features.map((f) => {
      const n = f.type === 'numeric' ? 1 : f.categories.length;
      const attribution = perInput.slice(o, o + n).reduce((a, b) => a + b, 0);
      o += n;
      return { name: f.column, value: values.row[values.colOf.get(f.column)!] ?? '', attribution };
    });
    return { predicted, probabilities, classes: record.classes, attribution: { kind: 'features', features } };
  } finally {
    x.dispose();
  }
}

/** A text model cut after its Embedding: ids → activations, and (ids, activations) → the output. */
interface EmbeddingSplit { embed: tfType.LayersModel; head: tfType.LayersModel; masked: boolean }
const splits = new WeakMap<tfType.LayersModel, EmbeddingSplit>();

/**
 * Passes the embedding activations on unchanged with the padding mask of an Embedding with
 * mask_zero (ids ≠ 0), so recurrent layers downstream skip padding as in the real model.
 * The mask comes from the ids, which are not differentiated: a Masking layer on the
 * activations would need the gradient of `any`, which tfjs does not have.
 */
function idsMaskLayer(tf: Tf): tfType.layers.Layer {
  class IdsMask extends tf.layers.Layer {
    static className = 'StrataIdsMask';
    constructor() {
      super({});
      this.supportsMasking = true;
    }
    override computeOutputShape(shapes: tfType.Shape | tfType.Shape[]): tfType.Shape {
      return (shapes as tfType.Shape[])[1]!;
    }
    // A copy, not the input itself: the graph executor disposes a layer's output once used.
    override call(inputs: tfType.Tensor | tfType.Tensor[]): tfType.Tensor {
      return (inputs as tfType.Tensor[])[1]!.clone();
    }
    override computeMask(inputs: tfType.Tensor | tfType.Tensor[]): tfType.Tensor {
      return tf.notEqual((inputs as tfType.Tensor[])[0]!, PAD_ID);
    }
  }
  return new IdsMask();
}

/**
 * Rebuilds the graph downstream of the first Embedding as a model that takes its activation
 * as an input next to the ids (for the padding mask and for branches that bypass the
 * Embedding), sharing the trained layers — the approach of headFromConv in
 * attribution-maps.ts, for any DAG. A second Embedding further down would stay on the ids
 * and get no attribution; such graphs are rare.
 */
function splitAtEmbedding(tf: Tf, model: tfType.LayersModel, spec: ModelSpec): EmbeddingSplit {
  const cached = splits.get(model);
  if (cached) return cached;
  const { order, outputs } = analyzeGraph(spec);
  const byName = new Map(spec.config.layers.map((l) => [l.name, l]));
  const embName = order.find((name) => byName.get(name)?.class_name === 'Embedding');
  if (!embName) {
    throw new StrataError('NO_EMBEDDING_LAYER', 'Token attributions need the text model to start with an Embedding layer (word ids are not differentiable, its word vectors are); this network has none. Add an Embedding after the Input.');
  }
  if (model.inputs.length !== 1) throw new StrataError('SEVERAL_INPUTS', `This network has ${model.inputs.length} inputs; token attributions work on text models with one input.`);
  const masked = byName.get(embName)!.config.mask_zero === true;
  const embLayer = model.getLayer(embName);
  const idsIn = tf.input({ shape: (model.inputs[0]!.shape as number[]).slice(1) });
  const activationIn = tf.input({ shape: (embLayer.outputShape as number[]).slice(1) });
  const activation = masked ? idsMaskLayer(tf).apply([idsIn, activationIn]) as tfType.SymbolicTensor : activationIn;
  const values = new Map<string, tfType.SymbolicTensor>();
  for (const name of order) {
    const layer = byName.get(name)!;
    if (name === embName) values.set(name, activation);
    else if (layer.class_name === 'Input') values.set(name, idsIn);
    else {
      const ins = layer.inbound.map((n) => values.get(n)!);
      values.set(name, model.getLayer(name).apply(ins.length === 1 ? ins[0]! : ins) as tfType.SymbolicTensor);
    }
  }
  const split = {
    embed: tf.model({ inputs: model.inputs, outputs: embLayer.output as tfType.SymbolicTensor }),
    head: tf.model({ inputs: [idsIn, activationIn], outputs: values.get(outputs[0]!)! }),
    masked,
  };
  splits.set(model, split);
  return split;
}

/** The text of a sample: its file in a folder-per-class dataset, or its row of a CSV. */
async function sampleText(record: Extract<RunRecord['data'], { kind: 'text' }>, id: string): Promise<string> {
  if (fs.statSync(record.path, { throwIfNoEntry: false })?.isDirectory()) {
    const file = path.join(record.path, id);
    if (!fs.existsSync(file)) throw new StrataError('SAMPLE_GONE', `${file} is no longer there (the folder changed since training); pick another sample or give the text.`);
    return fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  }
  const item = (await readTexts(record)).items.find((i) => i.id === id);
  if (!item) throw new StrataError('SAMPLE_GONE', `${id} of ${record.path} is no longer there (the file changed since training); pick another sample or give the text.`);
  return item.text;
}

/**
 * Integrated Gradients for one text: IG on the Embedding's output (word ids themselves have
 * no gradient), from a baseline of the padding token's vector at every step — "a text with
 * no words", which the model met in every padded training sample, so the attributions add
 * up to score(text) − score(all-padding text) — summed over the embedding dimension per
 * token (with mask_zero, see the baseline below). One weight per token the model reads
 * (texts longer than the sequence length are cut, padding is left out); words outside the
 * vocabulary are flagged known: false (they all read as the one unknown id).
 */
export async function explainText(runDir: string, text: string | ({ sampleIndex: number } & SampleRef), options: AttributionOptions = {}): Promise<NonImageExplanation> {
  const record = recordOfKind(runDir, 'text');
  const steps = checkOptions(options);
  const prep = record.preprocessing;
  if (prep?.kind !== 'text' || record.data.kind !== 'text') throw new StrataError('BAD_RUN_RECORD', `run.json in ${runDir} does not say how its texts were encoded; train the run again.`);
  const raw = typeof text === 'string' ? text : await sampleText(record.data, sampleId(record, text.sampleIndex, text.split ?? 'validation'));
  const tokens = tokenize(raw, prep.lowercase);
  if (tokens.length === 0) throw new StrataError('EMPTY_TEXT', 'The text has no words (runs of letters or digits) for the model to read; give a text with words in it.');
  const length = prep.sequenceLength;
  const ids = new Float32Array(length);
  encodeTokens(tokens, vocabularyIndex(prep.vocabulary), length, ids, 0);
  const kept = tokens.slice(0, length);
  const pad = length - kept.length;

  const run = await loadRunModel(runDir);
  const { tf, model } = run;
  const { embed, head, masked } = splitAtEmbedding(tf, model, record.spec);
  const idTensor = tf.tensor2d(ids, [1, length]);
  try {
    const output = tf.tidy(() => (model.predict(idTensor) as tfType.Tensor2D).arraySync()[0]!);
    const { predicted, probabilities, explained } = readPrediction(run, output, options);
    const perToken = tf.tidy(() => {
      const input = embed.predict(idTensor) as tfType.Tensor;
      // Baseline: the padding token's vector at every step (the all-padding text). With
      // mask_zero padding is masked and its vector never trained, so zeros (no word vector)
      // stand in at the words' steps instead.
      const baseline = masked ? tf.zerosLike(input) : embed.predict(tf.fill([1, length], PAD_ID)) as tfType.Tensor;
      const scores = (batch: tfType.Tensor): tfType.Tensor => head.apply([idTensor.tile([batch.shape[0]!, 1]), batch]) as tfType.Tensor2D;
      return integratedGradients(tf, scores, input, baseline, explained, steps).sum(-1).dataSync() as Float32Array;
    });
    const tokenWeights = kept.map((token, k) => ({ token, attribution: perToken[pad + k]!, known: ids[pad + k] !== UNKNOWN_ID }));
    return { predicted, probabilities, classes: record.classes, attribution: { kind: 'tokens', tokens: tokenWeights } };
  } finally {
    idTensor.dispose();
  }
}
