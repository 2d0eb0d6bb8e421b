import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { resourcePath } from '../../../app-root.ts';

/** The Python side of the parity check: loads each .keras file with keras.models.load_model and predicts. */
export const KERAS_PREDICT_SCRIPT = resourcePath('python', 'keras_predict.py');

/** One model to load and the batch to predict with it. */
export interface KerasPredictJob {
  model: string;
  /** Row-major float32 inputs. */
  x: Float32Array;
  /** The batch's shape, batch first. */
  shape: number[];
}

export type KerasPrediction = { ok: true; values: Float32Array; shape: number[] } | { ok: false; error: string };

export interface KerasPredictRun {
  tensorflow: string;
  keras: string;
  /** One per job, in job order. */
  results: KerasPrediction[];
}

const ReportSchema = z.object({
  tensorflow: z.string(),
  keras: z.string(),
  results: z.array(z.union([
    z.object({ ok: z.literal(true), shape: z.array(z.number().int()) }),
    z.object({ ok: z.literal(false), error: z.string() }),
  ])),
});

/**
 * Loads and predicts every job in ONE Python process (importing TensorFlow costs seconds).
 * Throws when the process itself fails (no TensorFlow, a crash); a model that fails to
 * load or predict gets {ok: false, error} and the others still run.
 */
export function predictWithKeras(python: string, jobs: readonly KerasPredictJob[], timeoutMs = 300_000): KerasPredictRun {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-keras-predict-'));
  try {
    const files = jobs.map((job, i) => {
      const inputs = path.join(work, `inputs_${i}.f32`);
      fs.writeFileSync(inputs, Buffer.from(job.x.buffer, job.x.byteOffset, job.x.byteLength));
      return { model: job.model, inputs, shape: job.shape, outputs: path.join(work, `outputs_${i}.f32`) };
    });
    const jobsFile = path.join(work, 'jobs.json');
    fs.writeFileSync(jobsFile, JSON.stringify({ jobs: files }));
    const r = spawnSync(python, [KERAS_PREDICT_SCRIPT, jobsFile], {
      encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3', PYTHONIOENCODING: 'utf-8' },
    });
    const last = r.stdout?.trim().split('\n').pop() ?? '';
    let report: z.infer<typeof ReportSchema>;
    try {
      report = ReportSchema.parse(JSON.parse(last));
    } catch {
      const why = (r.stderr || String(r.error ?? '')).trim().split('\n').slice(-3).join(' ');
      throw new Error(`${python} ${path.basename(KERAS_PREDICT_SCRIPT)} failed (exit ${r.status ?? r.signal}): ${why || last || 'no output'}`);
    }
    const results = report.results.map((result, i): KerasPrediction => {
      if (!result.ok) return result;
      // A copy, so the floats start on a 4-byte boundary whatever Node's buffer pool did.
      const bytes = new Uint8Array(fs.readFileSync(files[i]!.outputs));
      return { ok: true, shape: result.shape, values: new Float32Array(bytes.buffer) };
    });
    return { tensorflow: report.tensorflow, keras: report.keras, results };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
