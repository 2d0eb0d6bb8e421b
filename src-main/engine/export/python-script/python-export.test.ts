import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DataConfigSchema, type DataConfig } from '../../../../src-shared/contract/data-config.ts';
import { TrainingConfigSchema } from '../../../../src-shared/contract/project.ts';
import type { RunRecord } from '../../../../src-shared/contract/run-record.ts';
import type { ModelSpec } from '../../../../src-shared/spec/model-spec.ts';
import { TEMPLATES } from '../../../../src-shared/spec/templates.ts';
import { writeDigitFolder } from '../../testing/write-digit-folder.ts';
import { writePriceTable } from '../../testing/write-price-table.ts';
import { readRunRecord } from '../../train/run-store.ts';
import { runTraining } from '../../train/train-run.ts';
import { readExportRecords } from '../export-record.ts';
import { findPythonKeras, pythonKerasMissing } from '../python-runtime.ts';
import { exportPythonScript } from './python-export.ts';
import type { PythonManifest } from './python-manifest.ts';

/** The line train.py ends with. */
const StrataResultSchema = z.object({
  epochs: z.number(), loss: z.number().nullable(), acc: z.number().nullable(),
  val_loss: z.number().nullable(), val_acc: z.number().nullable(),
  train_samples: z.number(), validation_samples: z.number(),
  distributed: z.object({ workers: z.number(), task: z.string(), replicas: z.number() }).nullable(),
  weights_sha256: z.string(), out: z.string().nullable(),
});
type StrataResult = z.infer<typeof StrataResultSchema>;

const IMAGE_EPOCHS = 5;
/** Fresh weights in Keras against fresh weights in tfjs: the same data and settings, not the same draws. */
const ACCURACY_TOLERANCE = 0.15;

const python = findPythonKeras();
const requirePython = process.env.STRATA_REQUIRE_PYTHON === '1';
if (!python && !requirePython) console.warn(`python-export.test: the runs of train.py are skipped — ${pythonKerasMissing()}`);
const withPython = python || requirePython ? it : it.skip;

let work: string;
const template = (id: string) => TEMPLATES.find((t) => t.id === id)!;

async function train(id: string, spec: ModelSpec, data: DataConfig, epochs: number): Promise<{ runDir: string; record: RunRecord }> {
  const runDir = path.join(work, id);
  const end = await runTraining({
    runId: id, runDir, spec, data, training: TrainingConfigSchema.parse({ epochs, batchSize: 16, learningRate: 0.003, seed: 5 }),
  }, () => {}, new AbortController().signal);
  expect(end.status, end.reason).toBe('completed');
  return { runDir, record: readRunRecord(runDir) };
}

interface ScriptRun { code: number | null; output: string; result: StrataResult | null }

/** Runs an exported train.py in its own process (CPU only, quiet TensorFlow), TF_CONFIG as given. */
function runScript(dir: string, args: string[], tfConfig?: object): Promise<ScriptRun> {
  if (!python) throw new Error(pythonKerasMissing());
  const env: NodeJS.ProcessEnv = { ...process.env, CUDA_VISIBLE_DEVICES: '-1', TF_CPP_MIN_LOG_LEVEL: '3' };
  delete env.TF_CONFIG;
  if (tfConfig) env.TF_CONFIG = JSON.stringify(tfConfig);
  return new Promise((resolve, reject) => {
    const child = spawn(python.python, [path.join(dir, 'train.py'), ...args], { cwd: os.tmpdir(), env });
    let output = '';
    child.stdout.on('data', (b: Buffer) => { output += b.toString(); });
    child.stderr.on('data', (b: Buffer) => { output += b.toString(); });
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = output.split('\n').find((l) => l.startsWith('STRATA_RESULT '));
      resolve({ code, output, result: line ? StrataResultSchema.parse(JSON.parse(line.slice('STRATA_RESULT '.length))) : null });
    });
  });
}

function expectFinished(run: ScriptRun): StrataResult {
  expect(run.code, run.output.slice(-2000)).toBe(0);
  expect(run.result, run.output.slice(-2000)).not.toBeNull();
  return run.result!;
}

/** Two free ports on 127.0.0.1 for the workers (taken by the OS, then released for them). */
async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: n }, () => new Promise<net.Server>((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => resolve(s));
  })));
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

const readManifest = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as PythonManifest;
const readSplit = (out: string) => (JSON.parse(fs.readFileSync(path.join(out, 'split.json'), 'utf8')) as { validation: string[] }).validation;

let digits: { runDir: string; record: RunRecord };
let prices: { runDir: string; record: RunRecord };

beforeAll(async () => {
  if (requirePython && !python) throw new Error(`STRATA_REQUIRE_PYTHON=1: ${pythonKerasMissing()}`);
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-python-export-'));
  await writeDigitFolder(path.join(work, 'digits'), { perClass: 30, seed: 21 });
  writePriceTable(path.join(work, 'prices.csv'));
  digits = await train('digits-run', template('mlp').build({ inputShape: [28, 28, 1], classes: 10 }),
    DataConfigSchema.parse({ kind: 'image-folder', path: path.join(work, 'digits'), imageSize: [28, 28], channels: 1 }), IMAGE_EPOCHS);
  prices = await train('prices-run', template('mlp').build({ inputShape: [4], classes: 1, task: 'regression' }),
    DataConfigSchema.parse({ kind: 'csv-table', path: path.join(work, 'prices.csv'), target: 'price' }), 1);
}, 120_000);
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('the python export of an image run (MLP on real digits)', () => {
  let out: string;
  beforeAll(async () => {
    out = path.join(work, 'digits-export');
    await exportPythonScript(digits.runDir, out, { distributed: false });
  }, 60_000);

  it('writes the script, its data preparation, the graph, the trained model and a manifest of the run', async () => {
    const result = readExportRecords(digits.runDir).find((r) => r.format === 'python')!;
    expect(result).toMatchObject({ format: 'python', path: out, parity: null });
    expect(result.files).toEqual(['README.md', 'manifest.json', 'model.json', 'model.keras',
      'strata_data.py', 'strata_fit.py', 'strata_images.py', 'strata_load.py', 'strata_tables.py', 'train.py']);
    for (const file of result.files) expect(fs.existsSync(path.join(out, file)), file).toBe(true);
    expect(result.notes[0]).toMatch(/python train\.py/);
    const manifest = readManifest(out);
    expect({ ...manifest, run: undefined, model: { ...manifest.model, input: undefined } }).toEqual({
      version: 1, createdBy: 'Strata', run: undefined,
      data: { ...digits.record.data, delimiter: null },
      classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
      preprocessing: { kind: 'image', imageSize: [28, 28], channels: 1 },
      targets: { type: 'classes', classes: digits.record.classes },
      training: {
        optimizer: 'adam', learningRate: 0.003, batchSize: 16, epochs: IMAGE_EPOCHS, schedule: { kind: 'constant' },
        classWeights: 'none', earlyStopping: null, seed: 5, loss: 'categorical_crossentropy',
      },
      model: { architecture: 'model.json', weights: 'model.keras', input: undefined, output: { layer: manifest.model.output.layer, activation: 'softmax' } },
      distributed: false,
    });
    expect(path.isAbsolute(manifest.data.path)).toBe(true);
    expect(manifest.run.strata).toEqual(digits.record.lastEpoch);
  });

  withPython('trains in Keras on the same split to an accuracy in Strata\'s range, and reproduces Strata\'s own figures from its weights', async () => {
    const [fresh, trained] = await Promise.all([
      runScript(out, ['--epochs', String(IMAGE_EPOCHS), '--out', path.join(work, 'digits-fresh')]),
      runScript(out, ['--from-trained', '--epochs', '0', '--out', path.join(work, 'digits-trained')]),
    ]);
    const strata = digits.record.lastEpoch!;
    const keras = expectFinished(fresh);
    console.info(`digits, ${IMAGE_EPOCHS} epochs: val_acc Strata ${strata.val_acc!.toFixed(3)}, Keras ${keras.val_acc!.toFixed(3)}`);
    expect(keras.epochs).toBe(IMAGE_EPOCHS);
    expect(fresh.output.match(/^epoch \d+\/\d+ .*val_acc/gm)).toHaveLength(IMAGE_EPOCHS);
    // The same files on the same side of the split as in Strata.
    expect(readSplit(path.join(work, 'digits-fresh'))).toEqual(digits.record.validationFiles);
    expect(keras.validation_samples).toBe(digits.record.validationFiles.length);
    // 10 classes: chance is 0.1.
    expect(strata.val_acc!).toBeGreaterThan(0.5);
    expect(keras.val_acc!).toBeGreaterThan(0.5);
    expect(Math.abs(keras.val_acc! - strata.val_acc!)).toBeLessThanOrEqual(ACCURACY_TOLERANCE);
    // Strata's trained weights on the Python-prepared validation images: Strata's own numbers,
    // so the decoding, scaling and split are the same, not merely close.
    const replay = expectFinished(trained);
    expect(replay.val_acc).toBe(strata.val_acc);
    expect(Math.abs(replay.val_loss! - strata.val_loss!)).toBeLessThan(1e-4);
  }, 150_000);
});

describe('the python export of a CSV table (regression on prices)', () => {
  let out: string;
  beforeAll(async () => {
    out = path.join(work, 'prices-export');
    await exportPythonScript(prices.runDir, out, { distributed: true });
  }, 60_000);

  it('records the run\'s standardisation, categories and the CSV\'s delimiter', () => {
    const manifest = readManifest(out);
    expect(manifest.preprocessing).toEqual(prices.record.preprocessing);
    expect(manifest.targets).toEqual(prices.record.targets);
    expect(manifest.data).toMatchObject({ kind: 'csv-table', target: 'price', delimiter: ',', validationSplit: 0.2, seed: 42 });
    expect(manifest.training.loss).toBe('mean_squared_error');
    expect(manifest.distributed).toBe(true);
    expect(fs.readFileSync(path.join(out, 'README.md'), 'utf8')).toMatch(/TF_CONFIG='\{"cluster": \{"worker": \[/);
  });

  withPython('trains one epoch in Keras to a finite loss on the same rows', async () => {
    const run = expectFinished(await runScript(out, ['--epochs', '1', '--out', path.join(work, 'prices-fresh')]));
    expect(run.epochs).toBe(1);
    expect(Number.isFinite(run.loss) && Number.isFinite(run.val_loss)).toBe(true);
    expect(run.acc).toBeNull();
    expect(run.distributed).toBeNull(); // no TF_CONFIG: one machine
    expect(readSplit(path.join(work, 'prices-fresh'))).toEqual(prices.record.validationFiles);
  }, 120_000);

  withPython('trains on two workers on 127.0.0.1 (MultiWorkerMirroredStrategy): both finish with the same weights and metrics', async () => {
    const ports = await freePorts(2);
    const cluster = { worker: ports.map((p) => `127.0.0.1:${p}`) };
    const outs = [0, 1].map((i) => path.join(work, `prices-worker-${i}`));
    const runs = await Promise.all([0, 1].map((index) => runScript(out, ['--epochs', '2', '--batch-size', '32', '--out', outs[index]!],
      { cluster, task: { type: 'worker', index } })));
    const [chief, other] = runs.map(expectFinished) as [StrataResult, StrataResult];
    expect(chief.distributed).toEqual({ workers: 2, task: 'worker:0', replicas: 2 });
    expect(other.distributed).toEqual({ workers: 2, task: 'worker:1', replicas: 2 });
    expect(other.weights_sha256).toBe(chief.weights_sha256);
    expect({ ...other, distributed: null, out: null }).toEqual({ ...chief, distributed: null, out: null });
    expect(Number.isFinite(chief.val_loss)).toBe(true);
    // The global batch is split across the workers, yet every training row is seen once per epoch.
    expect(chief.train_samples).toBe(400 - prices.record.validationFiles.length);
    // Only the chief saves.
    expect(chief.out).toBe(outs[0]);
    expect(fs.existsSync(path.join(outs[0]!, 'model.keras'))).toBe(true);
    expect(other.out).toBeNull();
    expect(fs.existsSync(outs[1]!)).toBe(false);
  }, 150_000);
});

describe('what the python export refuses', () => {
  it('a run whose record has no preprocessing for its table, and a file as the destination', async () => {
    const old = path.join(work, 'old-table-run');
    fs.cpSync(prices.runDir, old, { recursive: true });
    const record = JSON.parse(fs.readFileSync(path.join(old, 'run.json'), 'utf8')) as Record<string, unknown>;
    delete record.preprocessing;
    fs.writeFileSync(path.join(old, 'run.json'), JSON.stringify(record));
    await expect(exportPythonScript(old, path.join(work, 'old-export'), { distributed: false })).rejects.toMatchObject({
      code: 'EXPORT_UNSUPPORTED', message: expect.stringMatching(/records no preprocessing.*Train the run again/),
    });
    const file = path.join(work, 'a-file');
    fs.writeFileSync(file, 'x');
    await expect(exportPythonScript(prices.runDir, file, { distributed: false })).rejects.toMatchObject({ code: 'NOT_A_FOLDER' });
  });
});
