import fs from 'node:fs';
import type * as tfType from '@tensorflow/tfjs';
import type { DataConfig } from '../../../src-shared/contract/data-config.ts';
import type { TrainingConfig } from '../../../src-shared/contract/project.ts';
import type { RunRecord } from '../../../src-shared/contract/run-record.ts';
import type { RunStatus, TrainEvent } from '../../../src-shared/contract/streams.ts';
import type { ModelSpec } from '../../../src-shared/spec/model-spec.ts';
import { closeDataset, loadDataset, sampleNoun } from '../../data/load-dataset.ts';
import { outputsPerSample, type LoadedDataset } from '../../data/loaded-dataset.ts';
import { datasetFingerprint } from '../../data/dataset-fingerprint.ts';
import { DiskSampleStore } from '../../data/sample-cache.ts';
import { augmentBatch, isIdentity } from '../../data/augment/augment-batch.ts';
import { seededRandom } from '../../../src-shared/util/seeded-random.ts';
import { flattenBlocks } from '../../../src-shared/graph/graph-blocks.ts';
import { StrataError, toContractError } from '../../strata-error.ts';
import { loadEngineBackend } from '../backend/load-engine-backend.ts';
import { backendLine, measureBackendSpeed } from '../doctor.ts';
import { saveModelFolder } from '../io/model-folder.ts';
import { applyModelWeights, readModelWeights } from '../io/model-weights.ts';
import { LiveSaliencyProbes } from './live-saliency.ts';
import { appendRunEvent, checkpointDir, writeRunRecord } from './run-store.ts';
import { restoreCheckpoint, resumableRecord } from './resume-run.ts';
import { balancedClassWeights, compileForTraining } from './compile-for-training.ts';
import { BatchThrottle } from './batch-throttle.ts';
import { planExecution } from './graph-execution.ts';
import { EpochPolicy } from './epoch-policy.ts';
import { RunControl } from './run-control.ts';
import { fitLoop } from './fit-loop.ts';
import { graphStepper, tfjsStepper } from './train-steppers.ts';

export interface TrainRunRequest {
  runId: string;
  runDir: string;
  spec: ModelSpec;
  data: DataConfig;
  training: TrainingConfig;
  /** Continue the run in `runDir` from its checkpoint (its record gives the epoch). */
  resume?: boolean;
  /** The sweep trial this run is, recorded in run.json. */
  sweep?: RunRecord['sweep'];
  /** Transfer learning: a weights folder (model-weights.ts) to start from, matched by layer name. */
  initialWeights?: string;
}

type EndEvent = Extract<TrainEvent, { type: 'end' }>;

/**
 * One training run, start to end, on the engine's backend. Every event goes to `emit` and
 * to the run's events.jsonl; the weights are checkpointed at each epoch end. It always ends
 * with exactly one `end` event, also when the data or the graph is bad (status `failed`
 * with the error's code and message). Aborting `signal` stops within one batch.
 */
export async function runTraining(req: TrainRunRequest, emit: (e: TrainEvent) => void, signal: AbortSignal, control?: RunControl): Promise<EndEvent> {
  fs.mkdirSync(req.runDir, { recursive: true });
  const send = (e: TrainEvent): void => {
    appendRunEvent(req.runDir, e);
    emit(e);
  };
  const finish = (record: RunRecord | null, status: RunStatus, reason?: string, err?: unknown): EndEvent => {
    const end: EndEvent = {
      type: 'end', status, runDir: req.runDir,
      ...(reason ? { reason } : {}),
      ...(err === undefined ? {} : { error: toContractError(err) }),
    };
    if (record) writeRunRecord(req.runDir, { ...record, status, reason: reason ?? null, endedAt: new Date().toISOString() });
    send(end);
    return end;
  };

  let dataset: LoadedDataset;
  let backend;
  try {
    backend = await loadEngineBackend();
    dataset = await loadDataset(req.data);
  } catch (err) {
    return finish(null, 'failed', err instanceof Error ? err.message : String(err), err);
  }
  try {
    return await trainOnDataset(req, dataset, backend, send, finish, signal, control ?? new RunControl(signal));
  } finally {
    closeDataset(dataset);
  }
}

async function trainOnDataset(
  req: TrainRunRequest, dataset: LoadedDataset, backend: Awaited<ReturnType<typeof loadEngineBackend>>,
  send: (e: TrainEvent) => void, finishRun: (record: RunRecord | null, status: RunStatus, reason?: string, err?: unknown) => EndEvent, signal: AbortSignal,
  control: RunControl,
): Promise<EndEvent> {
  // The engine trains the flattened graph (blocks replaced by their layers); the run
  // records that graph, which is the model its checkpoints belong to.
  const spec = flattenBlocks(req.spec);
  // Every run has a seed — chosen here when the settings name none — and records it, so any
  // run can be repeated exactly (same seed, same engine, same curve).
  req = { ...req, training: { ...req.training, seed: req.training.seed ?? 1 + Math.floor(Math.random() * (2 ** 31 - 2)) } };
  let record: RunRecord | null = null;
  const finish = (status: RunStatus, reason?: string, err?: unknown): EndEvent => finishRun(record, status, reason, err);
  const { tf } = backend;
  const fingerprint = datasetFingerprint(req.data, dataset);
  let previous: RunRecord | null = null;
  if (req.resume) {
    try {
      previous = resumableRecord(req.runDir, fingerprint);
    } catch (err) {
      return finish('failed', err instanceof Error ? err.message : String(err), err);
    }
  }
  const startEpoch = previous?.checkpointEpoch ?? 0;
  const speed = await measureBackendSpeed(backend, 150);
  const backendInfo = { name: backend.name, native: backend.native, libtensorflowVersion: backend.libtensorflowVersion };
  record = previous
    ? { ...previous, status: 'running', reason: null, endedAt: null, backend: backendInfo, pid: process.pid, resumes: (previous.resumes ?? 0) + 1 }
    : {
      schemaVersion: 1, runId: req.runId, createdAt: new Date().toISOString(), endedAt: null, status: 'running', reason: null,
      spec, data: req.data, training: req.training, backend: backendInfo,
      classes: dataset.targets.type === 'classes' ? dataset.targets.classes : [],
      targets: dataset.targets, preprocessing: dataset.preprocessing,
      validationFiles: dataset.validation.ids, validationLabels: labelsOf(dataset, dataset.validation),
      testFiles: dataset.test.ids, pid: process.pid, datasetFingerprint: fingerprint, checkpointEpoch: 0, lastEpoch: null,
      ...(req.sweep ? { sweep: req.sweep } : {}),
    };
  writeRunRecord(req.runDir, record);

  const classWeights = req.training.classWeights === 'balanced' && dataset.targets.type === 'classes'
    ? balancedClassWeights(dataset.train.y as Int32Array, dataset.targets.classes.length)
    : null;
  let model: tfType.LayersModel;
  try {
    if (dataset.train.count === 0) {
      throw new StrataError('NO_TRAINING_DATA', `The dataset at ${req.data.path} has no training samples left after the validation and test splits; add data or make the splits smaller.`);
    }
    model = compileForTraining(tf, spec, req.training, dataset, classWeights);
  } catch (err) {
    return finish('failed', err instanceof Error ? err.message : String(err), err);
  }
  let weightsLine: string | undefined;
  try {
    if (previous) await restoreCheckpoint(tf, model, req.runDir);
    else if (req.initialWeights) {
      // Imported weights, layer by layer; a layer whose shape changed (a new head) starts fresh.
      const applied = applyModelWeights(tf, model, readModelWeights(req.initialWeights));
      record = { ...record!, initialWeights: { path: req.initialWeights, loaded: applied.loaded, fresh: applied.skipped } };
      writeRunRecord(req.runDir, record);
      weightsLine = `weights: ${applied.loaded.length} layer${applied.loaded.length === 1 ? '' : 's'} from ${req.initialWeights}`
        + (applied.skipped.length > 0 ? `; fresh: ${applied.skipped.map((s) => `${s.layer} (${s.reason})`).join(', ')}` : '');
    }
  } catch (err) {
    model.optimizer?.dispose();
    model.dispose();
    return finish('failed', err instanceof Error ? err.message : String(err), err);
  }

  let probes: LiveSaliencyProbes | null;
  try {
    probes = await LiveSaliencyProbes.prepare(tf, spec, req.training, req.data.path, dataset);
  } catch (err) {
    model.optimizer?.dispose();
    model.dispose();
    return finish('failed', err instanceof Error ? err.message : String(err), err);
  }

  const { batchSize, epochs } = req.training;
  const batchesPerEpoch = Math.ceil(dataset.train.count / batchSize);
  const plan = planExecution(backend, spec, req.training, model, dataset.targets, classWeights);
  record = { ...record, backend: { ...record.backend, execution: plan.mode } };
  writeRunRecord(req.runDir, record);
  send({
    type: 'started', runId: req.runId, runDir: req.runDir, backend: backend.name, native: backend.native,
    backendLine: backendLine(backend, speed), execution: plan.mode, executionLine: plan.line, epochs, batchesPerEpoch,
    trainCount: dataset.train.count, validationCount: dataset.validation.count, classes: record.classes,
    dataLine: dataLine(dataset), ...(previous ? { resumedFromEpoch: startEpoch } : {}), ...(weightsLine ? { weightsLine } : {}),
  });

  const policy = new EpochPolicy(req.training);
  let earlyStop: string | null = null;
  let learningRate = req.training.learningRate;
  const throttle = new BatchThrottle((epochs - startEpoch) * batchesPerEpoch, send);
  let currentEpoch = 0;
  let batchesThisEpoch = 0;
  let divergedAt: string | null = null;
  let stopRequested = false;
  let epochStart = performance.now();
  let trainedSeconds = 0;
  const stop = (): void => { stopRequested = true; model.stopTraining = true; };
  signal.addEventListener('abort', stop);
  // The same moments for both executions (tfjs' fit or the graph's loop).
  const onEpochBegin = (epoch: number): void => {
    currentEpoch = epoch + 1;
    batchesThisEpoch = 0;
    epochStart = performance.now();
    learningRate = policy.learningRate(epoch);
    stepper.setLearningRate(learningRate);
  };
  const onBatchEnd = async (batch: number, rawLoss: unknown, rawAcc: unknown): Promise<void> => {
    batchesThisEpoch = batch + 1;
    const loss = metric(rawLoss);
    const why = divergence(loss, rawLoss, dataset.targets.type);
    if (why) {
      divergedAt = `${why} at epoch ${currentEpoch}, batch ${batch + 1}`;
      stop();
    }
    throttle.batch(currentEpoch, batch + 1, loss, metric(rawAcc), batch + 1 === batchesPerEpoch);
    // A macrotask break lets a stop or pause request (IPC or Ctrl-C) arrive between batches.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (control.isPaused) {
      send({ type: 'control', state: 'paused', epoch: currentEpoch, batch: batch + 1 });
      await control.whenRunning();
      send({ type: 'control', state: 'running', epoch: currentEpoch, batch: batch + 1 });
    }
  };
  const onEpochEnd = async (epoch: number, logs: Record<string, unknown> | undefined): Promise<void> => {
    if (divergedAt || batchesThisEpoch < batchesPerEpoch) return; // a cut-short epoch is not an epoch
    const lastEpoch = {
      epoch: epoch + 1, loss: metric(logs?.loss), acc: metric(logs?.acc),
      val_loss: metric(logs?.val_loss), val_acc: metric(logs?.val_acc),
    };
    const decision = policy.afterEpoch(lastEpoch);
    if (decision.checkpoint) {
      plan.trainer?.copyWeightsTo(tf, model);
      await saveModelFolder(tf, model, checkpointDir(req.runDir));
      record = { ...record!, checkpointEpoch: epoch + 1 };
    }
    record = { ...record!, lastEpoch };
    writeRunRecord(req.runDir, record);
    const epochSeconds = (performance.now() - epochStart) / 1000;
    trainedSeconds += epochSeconds;
    send({ type: 'epoch', ...lastEpoch, seconds: epochSeconds, learningRate });
    if (probes && probes.due(trainedSeconds)) {
      try {
        if (!decision.checkpoint) plan.trainer?.copyWeightsTo(tf, model);
        send(await probes.capture(model, epoch + 1, trainedSeconds));
      } catch (err) {
        // The maps are a view of training, never a reason to lose it: stop drawing them.
        console.warn(`[strata] live saliency turned off for this run: ${err instanceof Error ? err.message : String(err)}`);
        probes = null;
      }
    }
    if (decision.stop) {
      earlyStop = decision.stop;
      stop();
    }
  };
  const outputIsProbabilities = spec.config.layers.find((l) => l.name === model.outputNames[0])?.config.activation === 'softmax';
  // Dropout's draws op by op follow the run's seed (offset so they are not the shuffle's stream).
  const stepper = plan.trainer
    ? graphStepper(plan.trainer, dataset.sampleShape)
    : tfjsStepper(tf, model, dataset.sampleShape, dataset.targets, outputIsProbabilities, seededRandom(req.training.seed! * 7919 + startEpoch + 1));
  const augmentation = dataset.augmentation && !isIdentity(dataset.augmentation) ? dataset.augmentation : null;
  const augmentRandom = seededRandom(req.data.seed);
  const [h, w, c] = dataset.sampleShape;
  try {
    await fitLoop(stepper, dataset.train, {
      epochs, batchSize, shuffle: true, shouldStop: () => stopRequested, initialEpoch: startEpoch,
      random: seededRandom(req.training.seed! + startEpoch),
      targetsPerSample: dataset.targets.type === 'classes' ? 1 : outputsPerSample(dataset.targets),
      validation: dataset.validation.count > 0 ? dataset.validation : null,
      augment: augmentation ? (x, n) => augmentBatch(x, n, [h!, w!, c!], augmentation, augmentRandom) : undefined,
    }, {
      onEpochBegin,
      onBatchEnd: (batch, logs) => onBatchEnd(batch, logs.loss, logs.acc),
      onEpochEnd: (epoch, logs) => onEpochEnd(epoch, { ...logs }),
    });
  } catch (err) {
    return finish('failed', `training stopped with an error: ${err instanceof Error ? err.message : String(err)}`, err);
  } finally {
    signal.removeEventListener('abort', stop);
    plan.trainer?.close();
    // The optimizer was handed to compile() as an instance, so the model does not own it.
    model.optimizer?.dispose();
    model.dispose();
  }
  if (divergedAt) return finish('diverged', `${divergedAt}; the weights from that point were not saved`);
  if (signal.aborted) return finish('cancelled', 'stopped by the user');
  return finish('completed', earlyStop ?? undefined);
}

function metric(value: unknown): number | null {
  return typeof value === 'number' ? value : null;
}

/**
 * Cross-entropy on probabilities is clipped at -ln(1e-7) ≈ 16.1 (tfjs and Keras alike), so
 * a classifier whose steps blew up can report a finite loss forever: every prediction
 * certain and wrong. A batch mean that close to the ceiling means exactly that; the graph
 * engine (loss on logits) sees the same run as Infinity. Either is divergence.
 */
const CLIPPED_CROSS_ENTROPY_CEILING = -Math.log(1e-7);

function divergence(loss: number | null, raw: unknown, task: 'classes' | 'regression'): string | null {
  if (loss === null || !Number.isFinite(loss)) return `loss became ${String(raw)}`;
  if (task === 'classes' && loss >= 0.95 * CLIPPED_CROSS_ENTROPY_CEILING) {
    return `loss reached ${loss.toFixed(1)}, the ceiling of clipped cross-entropy (every prediction certain and wrong: the steps are far too large)`;
  }
  return null;
}

function labelsOf(dataset: LoadedDataset, split: LoadedDataset['validation']): string[] | undefined {
  const { targets } = dataset;
  if (targets.type !== 'classes') return undefined;
  return Array.from(split.y as Int32Array, (k) => targets.classes[k]!);
}

/** "data: 1,204 images for training, 301 for validation, 0 for test (in memory)": said once at the start. */
function dataLine(dataset: LoadedDataset): string {
  const where = dataset.train.x instanceof DiskSampleStore ? 'streamed from the decoded-sample cache on disk' : 'in memory';
  const test = dataset.test.count > 0 ? `, ${dataset.test.count} held out for test` : '';
  const aug = dataset.augmentation ? '; training batches augmented' : '';
  return `data: ${sampleNoun(dataset.kind, dataset.train.count)} for training, ${dataset.validation.count} for validation${test} (${where})${aug}`;
}
