import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ExportResult, ParityResult } from '../../../src-shared/contract/export.ts';
import { loadRunModel } from '../run-model.ts';
import { exportTfjs } from '../run-services.ts';
import { recordExport } from './export-record.ts';
import { compareOutputs, paritySamples, type ParitySamples } from './parity-samples.ts';
import { APP_ROOT, resourcePath } from '../../app-root.ts';

const PREDICT_SCRIPT = resourcePath('node', 'tfjs-predict.mjs');

/**
 * The tfjs export (model.json + weights.bin + metadata.json), then proof: a clean Node
 * process loads it with tf.loadLayersModel, as a web page or server would, and predicts the
 * run's validation inputs; its outputs are compared with Strata's.
 */
export async function exportTfjsChecked(runDir: string, outDir: string): Promise<ExportResult> {
  const written = await exportTfjs(runDir, outDir);
  const run = await loadRunModel(runDir);
  const samples = await paritySamples(run);
  const { parity, notes } = checkInCleanProcess(path.join(written.outDir, 'model.json'), samples);
  const result: ExportResult = { format: 'tfjs', path: written.outDir, files: written.files, parity, notes };
  recordExport(run.runDir, result);
  return result;
}

/** One model for the clean process to load, and the batch it predicts. */
export interface TfjsPredictJob {
  modelJson: string;
  x: Float32Array;
  /** Including the batch axis. */
  shape: number[];
}

/**
 * Loads each model.json in one fresh Node process (tfjs-node, tf.loadLayersModel, nothing
 * of Strata's) and returns its outputs per job, or why the process failed.
 */
export function predictInCleanProcess(jobs: readonly TfjsPredictJob[]): { runtime: string; outputs: Float32Array[] } | { error: string } {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-tfjs-parity-'));
  try {
    const files = jobs.map((job, i) => {
      const inputs = path.join(work, `${i}.in.f32`);
      fs.writeFileSync(inputs, Buffer.from(job.x.buffer, job.x.byteOffset, job.x.byteLength));
      return { model: job.modelJson, inputs, shape: job.shape, outputs: path.join(work, `${i}.out.f32`) };
    });
    fs.writeFileSync(path.join(work, 'jobs.json'), JSON.stringify(files));
    const r = spawnSync(process.execPath, [PREDICT_SCRIPT, path.join(work, 'jobs.json')], {
      cwd: APP_ROOT, encoding: 'utf8', timeout: 120_000 + 10_000 * jobs.length, env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' },
    });
    if (r.status !== 0) return { error: (r.stderr || String(r.error ?? '')).trim().split('\n').slice(-3).join(' ') };
    const outputs = files.map((f) => {
      const bytes = fs.readFileSync(f.outputs);
      return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    });
    return { runtime: `${r.stdout.trim().split('\n').pop() ?? 'tfjs-node'} (clean process)`, outputs };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** A model the clean process cannot load fails its check (it is not "not checked"); the note says why. */
function checkInCleanProcess(modelJson: string, samples: ParitySamples): { parity: ParityResult; notes: string[] } {
  const r = predictInCleanProcess([{ modelJson, x: samples.x, shape: [samples.count, ...samples.sampleShape] }]);
  if ('error' in r) {
    return {
      parity: { format: 'tfjs', runtime: 'tfjs-node (clean process)', samples: samples.count, maxAbsDiff: null, argmaxAgreement: 0, passed: false, skipped: null },
      notes: [`A clean tfjs-node process could not load the export: ${r.error}`],
    };
  }
  return { parity: compareOutputs('tfjs', r.runtime, samples, r.outputs[0]!), notes: [] };
}
