import type * as tfType from '@tensorflow/tfjs';
import type { RunRecord } from '../../../src-shared/contract/run-record.ts';
import { StrataError } from '../../strata-error.ts';
import type { Tf } from '../backend/load-engine-backend.ts';
import { loadModelFolder } from '../io/model-folder.ts';
import { checkpointDir, readRunRecord } from './run-store.ts';

/**
 * The record of a run that can be resumed: one with a checkpoint, not finished, on the
 * same data it started with. Throws NOTHING_TO_RESUME or DATA_CHANGED, naming the run.
 */
export function resumableRecord(runDir: string, fingerprint: string): RunRecord {
  const record = readRunRecord(runDir);
  if (record.status === 'completed') {
    throw new StrataError('NOTHING_TO_RESUME', `${runDir} already completed all its epochs; start a new run to train more.`);
  }
  if (record.checkpointEpoch === 0) {
    throw new StrataError('NOTHING_TO_RESUME', `${runDir} has no checkpoint yet (it stopped during its first epoch); start it again instead.`);
  }
  if (record.datasetFingerprint && record.datasetFingerprint !== fingerprint) {
    throw new StrataError('DATA_CHANGED', `The data of ${runDir} (${record.data.path}) changed since the run started, so it cannot continue on it; start a new run.`);
  }
  return record;
}

/**
 * Loads the checkpoint's weights into a freshly compiled model. The optimizer starts anew
 * (tfjs checkpoints hold weights, not Adam's moments), as after a Keras load_weights.
 */
export async function restoreCheckpoint(tf: Tf, model: tfType.LayersModel, runDir: string): Promise<void> {
  const saved = await loadModelFolder(tf, checkpointDir(runDir));
  try {
    model.setWeights(saved.getWeights());
  } finally {
    saved.dispose();
  }
}
