import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrainEventSchema } from '../../src-shared/contract/streams.ts';
import { writeDigitFolder } from '../engine/testing/write-digit-folder.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let work: string;

function strata(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/strata.mjs'), ...args], { cwd: work, encoding: 'utf8', timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-cli-'));
  await writeDigitFolder(path.join(work, 'digits'), { perClass: 120, seed: 21 });
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('the CLI, as a user runs it', () => {
  it('new → train --json → predict → explain → export', () => {
    const created = strata('new', '--template', 'lenet', '--data', 'digits', '--out', 'digits.strata.json');
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('10 classes (1200 images, 28×28×1)');

    const trained = strata('train', 'digits.strata.json', '--epochs', '2', '--json', '--out', 'run1');
    expect(trained.code).toBe(0);
    const events = trained.stdout.trim().split('\n').map((l) => TrainEventSchema.parse(JSON.parse(l)));
    expect(events[0]).toMatchObject({ type: 'started', backend: 'tensorflow' });
    expect(events.filter((e) => e.type === 'epoch').map((e) => e.type === 'epoch' && e.epoch)).toEqual([1, 2]);
    expect(events.at(-1)).toEqual({ type: 'end', status: 'completed', runDir: path.join(work, 'run1') });

    const image = path.join(work, 'digits', '4', fs.readdirSync(path.join(work, 'digits', '4'))[0]!);
    const predicted = strata('predict', 'run1', image, '--json');
    expect(predicted.code).toBe(0);
    const prediction = JSON.parse(predicted.stdout) as { predicted: string; probabilities: Record<string, number> };
    expect(Object.keys(prediction.probabilities)).toHaveLength(10);
    expect(Object.values(prediction.probabilities).reduce((a, b) => a + b)).toBeCloseTo(1, 4);

    const explained = strata('explain', 'run1', '--input', image, '--method', 'gradcam', '--out', 'cam.png', '--json');
    expect(explained.code).toBe(0);
    const map = JSON.parse(explained.stdout) as { width: number; height: number; map: number[] };
    expect({ width: map.width, height: map.height, length: map.map.length }).toEqual({ width: 28, height: 28, length: 784 });
    expect(Math.min(...map.map)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...map.map)).toBeCloseTo(1, 5);
    expect(fs.readFileSync(path.join(work, 'cam.png')).subarray(1, 4).toString()).toBe('PNG');

    const exported = strata('export', 'run1', '--format', 'tfjs', '--out', 'web-model');
    expect(exported.code).toBe(0);
    expect(fs.readdirSync(path.join(work, 'web-model')).sort()).toEqual(['metadata.json', 'model.json', 'weights.bin']);
  });

  it('explains with each of the five methods and their settings, each map at the input resolution', () => {
    const image = path.join(work, 'digits', '7', fs.readdirSync(path.join(work, 'digits', '7'))[0]!);
    const cases: string[][] = [
      ['--method', 'vanilla'],
      ['--method', 'smoothgrad', '--samples', '12', '--sigma', '0.1'],
      ['--method', 'integrated-gradients', '--steps', '16', '--baseline', 'blur'],
      ['--method', 'gradcam', '--layer', 'conv2d_1'],
      ['--method', 'occlusion', '--patch', '6', '--stride', '3'],
    ];
    const maps = cases.map((flags) => {
      const r = strata('explain', 'run1', '--input', image, ...flags, '--json');
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout) as { method: string; width: number; height: number; map: number[]; predicted: string };
      expect(out).toMatchObject({ method: flags[1], width: 28, height: 28 });
      expect(out.map).toHaveLength(784);
      expect(Math.min(...out.map)).toBeGreaterThanOrEqual(0);
      return out.map;
    });
    // Five different methods, five different maps.
    expect(new Set(maps.map((m) => m.map((v) => v.toFixed(4)).join())).size).toBe(5);
    const badStep = strata('explain', 'run1', '--input', image, '--method', 'integrated-gradients', '--steps', '0', '--json');
    expect(badStep.code).not.toBe(0);
    expect(badStep.stderr).toMatch(/--steps: .*(>=|≥|at least|too small)/i);
    const badLayer = strata('explain', 'run1', '--input', image, '--method', 'gradcam', '--layer', 'dense_1', '--json');
    expect(badLayer.code).not.toBe(0);
    expect(badLayer.stderr).toMatch(/dense_1.*conv2d_1/s);
  });

  it('prints a progress bar summary per epoch without --json', () => {
    const r = strata('train', 'digits.strata.json', '--epochs', '1', '--out', 'run2');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/engine: native TensorFlow/);
    expect(r.stderr).toMatch(/epoch 1\/1: loss [\d.]+ {2}acc [\d.]+ {2}val_loss [\d.]+ {2}val_acc [\d.]+/);
    expect(r.stdout.trim()).toBe(path.join(work, 'run2'));
  });

  it.each([
    [['new', '--template', 'lenet', '--data', 'nowhere', '--out', 'x.json'], /nowhere.*does not exist|NOT_FOUND/],
    [['new', '--template', 'lenet', '--data', 'digits', '--out', 'digits.strata.json'], /already exists; pass --force/],
    [['train', 'digits/1'], /is not a Strata project|NOT_A_PROJECT|not a JSON file/],
    [['predict', 'digits', 'digits/1/1-000.png'], /is not a Strata run folder/],
    [['explain', 'run1', '--input', 'digits/1/1-000.png', '--method', 'lime', '--out', 'x.png'], /--method must be one of vanilla, smoothgrad, integrated-gradients, gradcam, occlusion, not "lime"/],
    [['train', 'digits.strata.json', '--epochs', 'many'], /--epochs must be a whole number/],
  ])('refuses %j with a clear message and a non-zero exit', (args, message) => {
    const r = strata(...args);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/); // no stack trace
  });
});
