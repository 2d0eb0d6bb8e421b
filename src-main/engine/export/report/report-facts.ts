import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DataHealthReport } from '../../../../src-shared/contract/data-health.ts';
import type { Evaluation, EvaluationSource } from '../../../../src-shared/contract/evaluation.ts';
import { ExplainOptionsSchema, type ExplainMethod, type NonImageAttribution } from '../../../../src-shared/contract/explanation.ts';
import type { ExportResult } from '../../../../src-shared/contract/export.ts';
import type { RunDetails, RunRecord } from '../../../../src-shared/contract/run-record.ts';
import { analyzeGraph } from '../../../../src-shared/graph/analyze-graph.ts';
import type { GraphAnalysis } from '../../../../src-shared/graph/graph-analysis.ts';
import { datasetHealth } from '../../../data/dataset-health.ts';
import { decodeImageFile } from '../../../data/image-folder/decode-image.ts';
import { absolutePath } from '../../../data/image-folder/list-image-folder.ts';
import { loadEngineBackend } from '../../backend/load-engine-backend.ts';
import { evaluateRun } from '../../evaluate/evaluate-run.ts';
import { readSavedEvaluation } from '../../evaluate/evaluation-store.ts';
import { lastConvLayer } from '../../explain/attribution-maps.ts';
import { attributionFor } from '../../explain/explain-image.ts';
import { explainFeatures } from '../../explain/explain-features.ts';
import { pngDataUrl, renderInputPng } from '../../explain/heatmap-overlay.ts';
import { runDetails } from '../../train/run-list.ts';
import { readRunRecord } from '../../train/run-store.ts';
import { readExportRecords } from '../export-record.ts';

/** How many validation samples the card explains: enough to see a pattern, cheap to compute. */
const EXPLAINED_SAMPLES = 4;

export type HealthFacts =
  | { kind: 'report'; report: DataHealthReport }
  | { kind: 'unavailable'; message: string };

export type EvaluationFacts =
  | { kind: 'evaluation'; evaluation: Evaluation; note: string | null }
  | { kind: 'unavailable'; message: string };

export interface ImageExplanationFacts {
  id: string;
  actual: string | null;
  predicted: string;
  confidence: number;
  /** PNG data: URLs of the input as the model saw it and of the map laid over it. */
  input: string;
  overlay: string;
}

export type ExplanationFacts =
  | { kind: 'images'; method: ExplainMethod; layer: string | null; items: ImageExplanationFacts[] }
  | { kind: 'features'; items: Array<{ id: string; actual: string | null; predicted: string; attribution: NonImageAttribution }> }
  | { kind: 'unavailable'; message: string };

/** Everything the model card shows, gathered from the run folder and the engine's modules. */
export interface ReportFacts {
  runDir: string;
  record: RunRecord;
  details: RunDetails;
  analysis: GraphAnalysis;
  environment: { tfjs: string; backend: string; node: string; os: string; generatedAt: string };
  dataOnDisk: boolean;
  health: HealthFacts;
  evaluation: EvaluationFacts;
  explanations: ExplanationFacts;
  exports: Array<ExportResult & { at: string | null }>;
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function environment(): Promise<ReportFacts['environment']> {
  const backend = await loadEngineBackend();
  return {
    tfjs: backend.tf.version_core,
    backend: `${backend.name}${backend.native ? ` (native, libtensorflow ${backend.libtensorflowVersion ?? '?'})` : ''}`,
    node: process.version,
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    generatedAt: new Date().toISOString(),
  };
}

async function health(record: RunRecord, onDisk: boolean): Promise<HealthFacts> {
  if (!onDisk) return { kind: 'unavailable', message: `The data is gone: ${record.data.path} is no longer on this machine, so its health report could not be made.` };
  try {
    return { kind: 'report', report: await datasetHealth(record.data) };
  } catch (err) {
    return { kind: 'unavailable', message: `The health report of ${record.data.path} could not be made: ${reason(err)}` };
  }
}

/**
 * The saved evaluation of the test split (never trained on) or else the validation split,
 * when it is of the current checkpoint; otherwise evaluated now. A stale one is still shown,
 * labelled, when the data needed to evaluate again is gone.
 */
async function evaluation(record: RunRecord, runDir: string): Promise<EvaluationFacts> {
  if (record.checkpointEpoch === 0) return { kind: 'unavailable', message: 'The run has no trained weights yet (no epoch completed), so it was not evaluated.' };
  const source: EvaluationSource = { kind: 'split', split: (record.testFiles?.length ?? 0) > 0 ? 'test' : 'validation' };
  let saved: ReturnType<typeof readSavedEvaluation> = null;
  try {
    saved = readSavedEvaluation(runDir, source);
  } catch {
    saved = null; // an unreadable file: evaluate again, which overwrites it
  }
  if (saved && saved.details.runId === record.runId && saved.details.checkpointEpoch === record.checkpointEpoch) {
    return { kind: 'evaluation', evaluation: saved.evaluation, note: null };
  }
  try {
    return { kind: 'evaluation', evaluation: await evaluateRun(runDir, source), note: null };
  } catch (err) {
    if (saved) {
      return { kind: 'evaluation', evaluation: saved.evaluation, note: `This evaluation is of the checkpoint of epoch ${saved.details.checkpointEpoch}; the run has trained since, and evaluating again failed: ${reason(err)}` };
    }
    return { kind: 'unavailable', message: `The run could not be evaluated: ${reason(err)}` };
  }
}

/** Validation samples spread over the classes: the first of each class in turn, then the rest. */
function spreadSamples(record: RunRecord, n: number): number[] {
  const labels = record.validationFiles.map((id, i) => record.validationLabels?.[i] ?? id.split(/[\\/]/)[0]!);
  const seen = new Set<string>();
  const first: number[] = [];
  labels.forEach((label, i) => {
    if (!seen.has(label)) { seen.add(label); first.push(i); }
  });
  const rest = labels.map((_, i) => i).filter((i) => !first.includes(i));
  return [...first, ...rest].slice(0, n);
}

async function imageExplanations(record: RunRecord, runDir: string): Promise<ExplanationFacts> {
  if (record.data.kind !== 'image-folder') throw new Error('not an image run');
  const { imageSize: [h, w], channels } = record.data;
  const conv = lastConvLayer(record.spec);
  const method: ExplainMethod = conv ? 'gradcam' : 'vanilla';
  const options = ExplainOptionsSchema.parse({});
  const items: ImageExplanationFacts[] = [];
  for (const index of spreadSamples(record, EXPLAINED_SAMPLES)) {
    const id = record.validationFiles[index]!;
    const file = absolutePath(record.data.path, id);
    const result = await attributionFor(runDir, file, method, options);
    const pixels = await decodeImageFile(file, record.data.imageSize, channels);
    items.push({
      id, actual: record.validationLabels?.[index] ?? id.split(/[\\/]/)[0] ?? null, predicted: result.predicted,
      confidence: Math.max(...result.probabilities),
      input: pngDataUrl(await renderInputPng(pixels, h, w, channels, 160)), overlay: pngDataUrl(result.overlay),
    });
  }
  return { kind: 'images', method, layer: conv, items };
}

async function featureExplanations(record: RunRecord, runDir: string): Promise<ExplanationFacts> {
  const items: Extract<ExplanationFacts, { kind: 'features' }>['items'] = [];
  for (const index of spreadSamples(record, 3)) {
    const result = await explainFeatures(runDir, { kind: 'sample', index, split: 'validation' });
    const predicted = record.targets?.type === 'regression' ? Number(result.predicted).toPrecision(5) : result.predicted;
    items.push({ id: record.validationFiles[index]!, actual: record.validationLabels?.[index] ?? null, predicted, attribution: result.attribution });
  }
  return { kind: 'features', items };
}

async function explanations(record: RunRecord, runDir: string, onDisk: boolean): Promise<ExplanationFacts> {
  if (record.checkpointEpoch === 0) return { kind: 'unavailable', message: 'No explanations: the run has no trained weights yet.' };
  if (record.data.kind === 'timeseries') {
    return { kind: 'unavailable', message: 'Attributions for forecasting windows are not available yet; the predicted-vs-actual chart above shows how the model does.' };
  }
  if (!onDisk) return { kind: 'unavailable', message: `No explanations: the data (${record.data.path}) is gone, and they are computed on its validation samples.` };
  if (record.validationFiles.length === 0) return { kind: 'unavailable', message: 'No explanations: the run has no validation samples.' };
  try {
    return record.data.kind === 'image-folder' ? await imageExplanations(record, runDir) : await featureExplanations(record, runDir);
  } catch (err) {
    return { kind: 'unavailable', message: `The explanations could not be computed: ${reason(err)}` };
  }
}

export async function collectReportFacts(runDir: string): Promise<ReportFacts> {
  const dir = path.resolve(runDir);
  const details = runDetails(dir);
  const record = readRunRecord(dir);
  const dataOnDisk = fs.existsSync(record.data.path);
  const classes = record.targets?.type === 'classes' ? record.targets.classes.length : record.classes.length || undefined;
  return {
    runDir: dir, record, details,
    analysis: analyzeGraph(record.spec, classes === undefined ? {} : { classes }),
    environment: await environment(),
    dataOnDisk,
    health: await health(record, dataOnDisk),
    // Evaluate before explaining: both load the same cached model, and an evaluation error is the clearer one.
    evaluation: await evaluation(record, dir),
    explanations: await explanations(record, dir, dataOnDisk),
    exports: readExportRecords(dir).filter((r) => r.format !== 'report'),
  };
}
