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
  const parity = predictInCleanProcess(path.join(written.outDir, 'model.json'), samples);
  const result: ExportResult = { format: 'tfjs', path: written.outDir, files: written.files, parity, notes: [] };
  recordExport(run.runDir, result);
  return result;
}

function predictInCleanProcess(modelJson: string, samples: ParitySamples): ParityResult {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-tfjs-parity-'));
  try {
    const inputs = path.join(work, 'inputs.f32');
    const outputs = path.join(work, 'outputs.f32');
    fs.writeFileSync(inputs, Buffer.from(samples.x.buffer, samples.x.byteOffset, samples.x.byteLength));
    const r = spawnSync(process.execPath, [PREDICT_SCRIPT, modelJson, inputs, [samples.count, ...samples.sampleShape].join(','), outputs], {
      cwd: APP_ROOT, encoding: 'utf8', timeout: 120_000, env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' },
    });
    if (r.status !== 0) {
      const why = (r.stderr || String(r.error ?? '')).trim().split('\n').slice(-3).join(' ');
      return { format: 'tfjs', runtime: 'tfjs-node (clean process)', samples: samples.count, maxAbsDiff: null, argmaxAgreement: 0, passed: false, skipped: `the clean process could not load the export: ${why}` };
    }
    const bytes = fs.readFileSync(outputs);
    const actual = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    const runtime = `${r.stdout.trim().split('\n').pop() ?? 'tfjs-node'} (clean process)`;
    return compareOutputs('tfjs', runtime, samples, actual);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
