import fs from 'node:fs';
import type * as tfType from '@tensorflow/tfjs';
import type { ImageDataConfig, TrainingConfig } from '../../../src-shared/contract/project.ts';
import type { RunRecord } from '../../../src-shared/contract/run-record.ts';
import type { RunStatus, TrainEvent } from '../../../src-shared/contract/streams.ts';
import type { ModelSpec } from '../../../src-shared/spec/model-spec.ts';
import { loadImageDataset, type ImageDataset } from '../../data/image-folder/load-image-dataset.ts';
import { flattenBlocks } from '../../../src-shared/graph/graph-blocks.ts';
import { StrataError, toContractError } from '../../strata-error.ts';
import { loadEngineBackend, type Tf } from '../backend/load-engine-backend.ts';
import { backendLine, measureBackendSpeed } from '../doctor.ts';
import { saveModelFolder } from '../io/model-folder.ts';
import { appendRunEvent, checkpointDir, writeRunRecord } from './run-store.ts';
import { compileForTraining } from './compile-for-training.ts';
import { BatchThrottle } from './batch-throttle.ts';
import { planExecution } from './graph-execution.ts';
import { fitOnGraph } from '../graph/graph-fit.ts';

export interface TrainRunRequest {
  runId: string;
  runDir: string;
  spec: ModelSpec;
  data: ImageDataConfig;
  training: TrainingConfig;
}

type EndEvent = Extract<TrainEvent, { type: 'end' }>;

/**
 * One training run, start to end, on the engine's backend. Every event goes to `emit` and
 * to the run's events.jsonl; the weights are checkpointed at each epoch end. It always ends
 * with exactly one `end` event, also when the data or the graph is bad (status `failed`
 * with the error's code and message). Aborting `signal` stops within one batch.
 */
export async function runTraining(req: TrainRunRequest, emit: (e: TrainEvent) => void, signal: AbortSignal): Promise<EndEvent> {
  fs.mkdirSync(req.runDir, { recursive: true });
  // The engine trains the flattened graph (blocks replaced by their layers); the run
  // records that graph, which is the model its checkpoints belong to.
  const spec = flattenBlocks(req.spec);
  const send = (e: TrainEvent): void => {
    appendRunEvent(req.runDir, e);
    emit(e);
  };
  let record: RunRecord | null = null;
  const finish = (status: RunStatus, reason?: string, err?: unknown): EndEvent => {
    const end: EndEvent = {
      type: 'end', status, runDir: req.runDir,
      ...(reason ? { reason } : {}),
      ...(err === undefined ? {} : { error: toContractError(err) }),
    };
    if (record) writeRunRecord(req.runDir, { ...record, status, reason: reason ?? null, endedAt: new Date().toISOString() });
    send(end);
    return end;
  };

  let dataset: ImageDataset;
  let backend;
  try {
    backend = await loadEngineBackend();
    dataset = await loadImageDataset(req.data);
  } catch (err) {
    return finish('failed', err instanceof Error ? err.message : String(err), err);
  }
  const { tf } = backend;
  const speed = await measureBackendSpeed(backend, 150);
  record = {
    schemaVersion: 1, runId: req.runId, createdAt: new Date().toISOString(), endedAt: null, status: 'running', reason: null,
    spec, data: req.data, training: req.training,
    backend: { name: backend.name, native: backend.native, libtensorflowVersion: backend.libtensorflowVersion },
    classes: dataset.classes, validationFiles: dataset.validation.files, checkpointEpoch: 0, lastEpoch: null,
  };
  writeRunRecord(req.runDir, record);

  let model: tfType.LayersModel;
  try {
    if (dataset.train.count === 0) {
      throw new StrataError('NO_TRAINING_DATA', `The dataset at ${req.data.path} has no training images left after the validation split; add images.`);
    }
    model = compileForTraining(tf, spec, req.training, dataset);
  } catch (err) {
    return finish('failed', err instanceof Error ? err.message : String(err), err);
  }

  const { batchSize, epochs } = req.training;
  const batchesPerEpoch = Math.ceil(dataset.train.count / batchSize);
  const plan = planExecution(backend, spec, req.training, model);
  record = { ...record, backend: { ...record.backend, execution: plan.mode } };
  writeRunRecord(req.runDir, record);
  send({
    type: 'started', runId: req.runId, runDir: req.runDir, backend: backend.name, native: backend.native,
    backendLine: backendLine(backend, speed), execution: plan.mode, executionLine: plan.line, epochs, batchesPerEpoch,
    trainCount: dataset.train.count, validationCount: dataset.validation.count, classes: dataset.classes,
  });

  const throttle = new BatchThrottle(epochs * batchesPerEpoch, send);
  let currentEpoch = 0;
  let batchesThisEpoch = 0;
  let divergedAt: string | null = null;
  let stopRequested = false;
  let epochStart = performance.now();
  const stop = (): void => { stopRequested = true; model.stopTraining = true; };
  signal.addEventListener('abort', stop);
  // The same moments for both executions (tfjs' fit or the graph's loop).
  const onEpochBegin = (epoch: number): void => { currentEpoch = epoch + 1; batchesThisEpoch = 0; epochStart = performance.now(); };
  const onBatchEnd = async (batch: number, rawLoss: unknown, rawAcc: unknown): Promise<void> => {
    batchesThisEpoch = batch + 1;
    const loss = metric(rawLoss);
    if (loss === null || !Number.isFinite(loss)) {
      divergedAt = `loss became ${rawLoss} at epoch ${currentEpoch}, batch ${batch + 1}`;
      stop();
    }
    throttle.batch(currentEpoch, batch + 1, loss, metric(rawAcc), batch + 1 === batchesPerEpoch);
    // A macrotask break lets a stop request (IPC or Ctrl-C) arrive between batches.
    await new Promise<void>((resolve) => setImmediate(resolve));
  };
  const onEpochEnd = async (epoch: number, logs: Record<string, unknown> | undefined): Promise<void> => {
    if (divergedAt || batchesThisEpoch < batchesPerEpoch) return; // a cut-short epoch is not an epoch
    const lastEpoch = {
      epoch: epoch + 1, loss: metric(logs?.loss), acc: metric(logs?.acc),
      val_loss: metric(logs?.val_loss), val_acc: metric(logs?.val_acc),
    };
    plan.trainer?.copyWeightsTo(tf, model);
    await saveModelFolder(tf, model, checkpointDir(req.runDir));
    record = { ...record!, checkpointEpoch: epoch + 1, lastEpoch };
    writeRunRecord(req.runDir, record);
    send({ type: 'epoch', ...lastEpoch, seconds: (performance.now() - epochStart) / 1000 });
  };
  try {
    if (plan.trainer) {
      const [h, w] = dataset.imageSize;
      const sampleShape = [h, w, dataset.channels];
      await fitOnGraph(plan.trainer, { ...dataset.train, sampleShape }, {
        epochs, batchSize, shuffle: true, shouldStop: () => stopRequested,
        validation: dataset.validation.count > 0 ? { ...dataset.validation, sampleShape } : null,
      }, {
        onEpochBegin,
        onBatchEnd: (batch, logs) => onBatchEnd(batch, logs.loss, logs.acc),
        onEpochEnd: (epoch, logs) => onEpochEnd(epoch, { ...logs }),
      });
    } else {
      await fitOpByOp(tf, model, dataset, { epochs, batchSize }, {
        onEpochBegin: async (epoch) => onEpochBegin(epoch),
        onBatchEnd: (batch, logs) => onBatchEnd(batch, logs?.loss, logs?.acc),
        onEpochEnd: (epoch, logs) => onEpochEnd(epoch, logs),
      });
    }
  } catch (err) {
    return finish('failed', `training stopped with an error: ${err instanceof Error ? err.message : String(err)}`, err);
  } finally {
    signal.removeEventListener('abort', stop);
    plan.trainer?.close();
    model.dispose();
  }
  if (divergedAt) return finish('diverged', `${divergedAt}; the weights from that point were not saved`);
  if (signal.aborted) return finish('cancelled', 'stopped by the user');
  return finish('completed');
}

function metric(value: unknown): number | null {
  return typeof value === 'number' ? value : null;
}

/** tfjs' own fit, one op at a time: the fallback backends, and models the graph writer cannot express. */
async function fitOpByOp(
  tf: Tf, model: tfType.LayersModel, dataset: ImageDataset, { epochs, batchSize }: { epochs: number; batchSize: number },
  callbacks: tfType.CustomCallbackArgs,
): Promise<void> {
  const [h, w] = dataset.imageSize;
  const c = dataset.channels;
  const k = dataset.classes.length;
  const trainX = tf.tensor4d(dataset.train.pixels, [dataset.train.count, h, w, c]);
  const trainY = tf.tidy(() => tf.oneHot(tf.tensor1d(dataset.train.labels, 'int32'), k).toFloat());
  const validation = dataset.validation.count === 0 ? null : {
    x: tf.tensor4d(dataset.validation.pixels, [dataset.validation.count, h, w, c]),
    y: tf.tidy(() => tf.oneHot(tf.tensor1d(dataset.validation.labels, 'int32'), k).toFloat()),
  };
  try {
    await model.fit(trainX, trainY, {
      epochs, batchSize, shuffle: true, verbose: 0,
      validationData: validation ? [validation.x, validation.y] : undefined,
      callbacks,
    });
  } finally {
    tf.dispose([trainX, trainY]);
    if (validation) tf.dispose([validation.x, validation.y]);
  }
}
