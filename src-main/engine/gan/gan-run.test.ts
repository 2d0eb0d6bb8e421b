import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dcganTemplate, GanEventSchema, GanRunSummarySchema, GanTrainingConfigSchema, type GanEvent } from '../../../src-shared/contract/gan.ts';
import { captureCli } from '../../cli/capture-cli.ts';
import { loadEngineBackend } from '../backend/load-engine-backend.ts';
import { writeDigitFolder } from '../testing/write-digit-folder.ts';
import { loadGanImages } from './gan-images.ts';
import { runGanTraining } from './gan-run.ts';
import { listGanRuns } from './gan-run-list.ts';
import { GAN_RUN_FILES, readGanEvents, readGanRunRecord, writeGanRunRecord } from './gan-run-store.ts';

let work: string;
let digits: string;

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-gan-'));
  digits = path.join(work, 'digits');
  await writeDigitFolder(digits, { perClass: 16, seed: 4 });
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('GAN training run', () => {
  it('streams every epoch, checkpoints both networks, and leaves no tensors behind per epoch', async () => {
    const { tf } = await loadEngineBackend();
    const images = await loadGanImages(digits);
    expect([images.count, images.shape]).toEqual([160, [28, 28, 1]]);
    // The loader's [0, 1] pixels, not 0–255 and not [-1, 1]: the trainer scales them itself.
    expect(Math.min(...images.pixels.subarray(0, 784 * 4))).toBe(0);
    expect(Math.max(...images.pixels.subarray(0, 784 * 4))).toBeLessThanOrEqual(1);

    const runDir = path.join(work, 'run-direct');
    const events: GanEvent[] = [];
    const tensorsAtEpochEnd: number[] = [];
    const training = GanTrainingConfigSchema.parse({ epochs: 4, batchSize: 32, samplesPerEpoch: 96, gridSize: 4, seed: 3 });
    const end = await runGanTraining({ runId: 'gan-direct', runDir, gan: dcganTemplate(), training, images }, (e) => {
      events.push(GanEventSchema.parse(e));
      if (e.type === 'epoch') tensorsAtEpochEnd.push(tf.memory().numTensors);
    }, new AbortController().signal);

    expect(end).toEqual({ type: 'end', status: 'completed', runDir });
    expect(events.map((e) => e.type).filter((t) => t !== 'batch')).toEqual(['started', 'epoch', 'samples', 'epoch', 'samples', 'epoch', 'samples', 'epoch', 'samples', 'end']);
    // Adam's slots exist after the first step; from then on an epoch must not add a single tensor.
    expect(new Set(tensorsAtEpochEnd).size).toBe(1);

    const epochs = events.filter((e): e is Extract<GanEvent, { type: 'epoch' }> => e.type === 'epoch');
    for (const e of epochs) {
      expect(e.d_loss).toBeGreaterThan(0);
      expect(e.g_loss).toBeGreaterThan(0);
      expect(e.d_acc_real).toBeGreaterThanOrEqual(0);
      expect(e.d_acc_fake).toBeLessThanOrEqual(1);
    }
    const started = events[0] as Extract<GanEvent, { type: 'started' }>;
    expect([started.batchesPerEpoch, started.backend]).toEqual([3, 'tensorflow']);

    const record = readGanRunRecord(runDir);
    expect([record.kind, record.status, record.checkpointEpoch, record.lastEpoch?.epoch]).toEqual(['gan', 'completed', 4, 4]);
    for (const dir of [GAN_RUN_FILES.generator, GAN_RUN_FILES.discriminator]) expect(fs.readdirSync(path.join(runDir, dir)).sort()).toEqual(['model.json', 'weights.bin']);

    // The sample grid: 4×4 digits of 28 px with 2 px gutters, a grey PNG in the run and in the event.
    const samples = events.filter((e): e is Extract<GanEvent, { type: 'samples' }> => e.type === 'samples');
    expect(samples.map((s) => s.file)).toEqual([1, 2, 3, 4].map((n) => path.join('samples', `epoch-000${n}.png`)));
    const meta = await sharp(path.join(runDir, samples[3]!.file)).metadata();
    expect([meta.width, meta.height, meta.channels, samples[3]!.width]).toEqual([122, 122, 1, 122]);
    expect(samples[3]!.png.startsWith('data:image/png;base64,')).toBe(true);
    // The log keeps the grid's file name, not its bytes, and reads back through the schema.
    expect(readGanEvents(runDir).map((e) => e.type).filter((t) => t !== 'batch')).toEqual(events.map((e) => e.type).filter((t) => t !== 'batch'));
  }, 120_000);
});

describe('strata gan-train and strata generate', () => {
  it('trains the DCGAN template on a digit folder, then writes generated PNGs that a seed repeats', async () => {
    const runDir = path.join(work, 'run-cli');
    const trained = await captureCli('gan-train', '--template', 'dcgan', '--data', digits, '--epochs', '2', '--batch-size', '32', '--samples-per-epoch', '64', '--out', runDir, '--json');
    expect(trained.code, trained.stderr).toBe(0);
    const lines = trained.stdout.split('\n').map((l) => GanEventSchema.parse(JSON.parse(l)));
    expect(lines.at(-1)).toEqual({ type: 'end', status: 'completed', runDir });

    const out = path.join(work, 'generated');
    const made = await captureCli('generate', runDir, '--count', '12', '--out', out, '--seed', '5');
    expect([made.code, made.stdout]).toEqual([0, `wrote 12 images from the generator of epoch 2 to ${out}`]);
    const files = fs.readdirSync(out).sort();
    expect(files).toEqual(Array.from({ length: 12 }, (_, i) => `sample-${String(i).padStart(4, '0')}.png`));
    const first = await sharp(path.join(out, files[0]!)).metadata();
    expect([first.width, first.height, first.channels]).toEqual([28, 28, 1]);

    const again = path.join(work, 'generated-again');
    await captureCli('generate', runDir, '--count', '12', '--out', again, '--seed', '5');
    expect(fs.readFileSync(path.join(again, files[7]!))).toEqual(fs.readFileSync(path.join(out, files[7]!)));
    const other = path.join(work, 'generated-other');
    await captureCli('generate', runDir, '--count', '2', '--out', other, '--seed', '6');
    expect(fs.readFileSync(path.join(other, files[0]!))).not.toEqual(fs.readFileSync(path.join(out, files[0]!)));

    // strata export on a GAN run exports the generator, each format proven by its own runtime.
    for (const format of ['tfjs', 'onnx'] as const) {
      const exported = await captureCli('export', runDir, '--format', format, '--out', path.join(work, `generator-${format}`), '--json');
      expect(exported.code, exported.stderr).toBe(0);
      const result = JSON.parse(exported.stdout) as { parity: { passed: boolean; samples: number; maxAbsDiff: number }; notes: string[] };
      expect([result.parity.passed, result.parity.samples]).toEqual([true, 32]);
      expect(result.parity.maxAbsDiff).toBeLessThan(1e-4);
      expect(result.notes[0]).toContain('values in [-1, 1] from tanh');
    }
    // strata runs lists the GAN run beside classifier runs (none here): human table and --json.
    const listed = await captureCli('runs', work, '--json');
    const gans = (JSON.parse(listed.stdout) as Array<{ kind?: string }>).filter((r) => r.kind === 'gan').map((r) => GanRunSummarySchema.parse(r));
    expect(gans.map((r) => [r.runDir, r.status, r.checkpointEpoch, r.epochs])).toContainEqual([runDir, 'completed', 2, 2]);
    const runId = gans.find((r) => r.runDir === runDir)!.runId;
    expect((await captureCli('runs', work)).stdout).toMatch(new RegExp(`GAN run[\\s\\S]*${runId}\\s+completed\\s+2/2`));

    const keras = await captureCli('export', runDir, '--format', 'keras', '--out', path.join(work, 'generator.keras'));
    expect([keras.code, keras.stderr]).toEqual([1, 'strata export: A GAN run exports its generator as tfjs or onnx; keras is for classifier and regression runs. Use --format tfjs or --format onnx. [GAN_EXPORT_FORMAT]']);
  }, 180_000);

  it('lists a run still training in another process as running, and one whose process is gone as interrupted', async () => {
    const images = await loadGanImages(digits);
    const runsDir = path.join(work, 'runs-pid');
    const runDir = path.join(runsDir, 'gan-pid');
    const training = GanTrainingConfigSchema.parse({ epochs: 1, batchSize: 32, samplesPerEpoch: 32, gridSize: 2, seed: 3 });
    await runGanTraining({ runId: 'gan-pid', runDir, gan: dcganTemplate(), training, images }, () => {}, new AbortController().signal);
    const record = readGanRunRecord(runDir);
    expect(record.pid).toBe(process.pid);
    // As a record reads while its run trains: "running" under the pid of a live process (this one).
    writeGanRunRecord(runDir, { ...record, status: 'running', endedAt: null });
    expect(listGanRuns(runsDir).map((r) => r.status)).toEqual(['running']);
    // The host that owns that pid as its engine, not training the run: interrupted.
    expect(listGanRuns(runsDir, (r) => r.pid === process.pid).map((r) => r.status)).toEqual(['interrupted']);
    // A pid no process has: interrupted, with why.
    writeGanRunRecord(runDir, { ...record, status: 'running', endedAt: null, pid: 2 ** 22 + 7 });
    const [gone] = listGanRuns(runsDir);
    expect([gone?.status, gone?.reason]).toEqual(['interrupted', "the training process is gone (killed, crashed or the machine stopped); its last epoch's checkpoint is kept"]);
  }, 60_000);

  it('refuses a broken GAN project naming the file and the field, and generate on a folder that is no GAN run', async () => {
    const bad = path.join(work, 'bad.gan.json');
    fs.writeFileSync(bad, JSON.stringify({ kind: 'gan-project', gan: { ...dcganTemplate(), noiseSize: 'lots' } }));
    const refused = await captureCli('gan-train', bad, '--data', digits);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${bad} is not a valid GAN project: gan.noiseSize:`);

    const wrongSize = path.join(work, 'small.gan.json');
    fs.writeFileSync(wrongSize, JSON.stringify({ kind: 'gan-project', gan: dcganTemplate([32, 32, 1]), data: { path: 'digits' } }));
    const mismatch = await captureCli('gan-train', wrongSize, '--epochs', '1', '--out', path.join(work, 'run-mismatch'));
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr).toContain("The generator makes (32, 32, 1) images but the dataset's images are (28, 28, 1)");

    const notRun = await captureCli('generate', digits, '--count', '3', '--out', path.join(work, 'nothing'));
    expect(notRun.code).toBe(1);
    expect(notRun.stderr).toContain(`${digits} is not a Strata GAN run folder (no gan-run.json)`);
  }, 60_000);
});
