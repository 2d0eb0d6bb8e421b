import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvaluationSchema } from '../../src-shared/contract/evaluation.ts';
import { seededRandom } from '../../src-shared/util/seeded-random.ts';
import { readRunRecord } from '../engine/train/run-store.ts';
import { writeDigitFolder } from '../engine/testing/write-digit-folder.ts';
import { captureCli as strata } from './capture-cli.ts';

let work: string;
let imageRun: string;
let priceRun: string;

/** `strata new` then `strata train`, as a person would; returns the run folder. */
async function newAndTrain(data: string, args: string[], epochs: number, name: string): Promise<string> {
  const project = path.join(work, `${name}.strata.json`);
  const created = await strata('new', '--data', data, '--out', project, ...args);
  expect(created.code, created.stderr).toBe(0);
  const runDir = path.join(work, name);
  const trained = await strata('train', project, '--epochs', String(epochs), '--json', '--out', runDir);
  expect(trained.code, trained.stderr).toBe(0);
  return runDir;
}

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-evaluate-cli-'));
  // Two digit classes, so the binary curves show too.
  await writeDigitFolder(path.join(work, 'all-digits'), { perClass: 30, seed: 4 });
  for (const d of ['0', '1']) fs.cpSync(path.join(work, 'all-digits', d), path.join(work, 'digits', d), { recursive: true });
  imageRun = await newAndTrain(path.join(work, 'digits'), ['--template', 'lenet', '--test-split', '0.2'], 2, 'digits-run');

  const r = seededRandom(2);
  const lines = ['a,b,price'];
  for (let i = 0; i < 300; i++) {
    const a = r() * 10;
    const b = r() * 5;
    lines.push(`${a.toFixed(3)},${b.toFixed(3)},${(1000 + 300 * a - 200 * b + (r() - 0.5) * 50).toFixed(0)}`);
  }
  fs.writeFileSync(path.join(work, 'prices.csv'), lines.join('\n'));
  priceRun = await newAndTrain(path.join(work, 'prices.csv'), ['--template', 'mlp', '--target', 'price'], 10, 'price-run');
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('strata evaluate', () => {
  it('prints accuracy, loss, a per-class table, the confusion matrix as aligned columns and the binary curves\' areas', async () => {
    const { code, stdout, stderr } = await strata('evaluate', imageRun);
    expect(code, stderr).toBe(0);
    const lines = stdout.split('\n');
    const record = readRunRecord(imageRun);
    const count = record.validationFiles.length;
    expect(lines[0]).toBe(`${record.runId} on validation split, ${count} images`);
    expect(lines[1]).toMatch(/^accuracy \d+\.\d\d% {3}loss \d+\.\d{4} {3}macro F1 \d\.\d{3}$/);
    const perClass = lines.indexOf('class  precision  recall     F1  support');
    expect(perClass).toBe(3);
    const classRows = lines.slice(perClass, perClass + 3);
    expect(classRows[1]).toMatch(/^0 +(\d\.\d{3}|—) +\d\.\d{3} +\d\.\d{3} +\d+$/);
    expect(new Set(classRows.map((l) => l.length)).size).toBe(1);
    // The confusion matrix: a header of class names and one row per actual class, right-aligned.
    const header = lines.indexOf('confusion matrix (rows: actual, columns: predicted)');
    expect(header).toBeGreaterThan(0);
    const table = lines.slice(header + 1, header + 4);
    expect(table[0]).toMatch(/^ +0 +1$/);
    const cells = table.slice(1).map((l) => l.trim().split(/ +/).slice(1).map(Number));
    expect(cells.flat().reduce((a, b) => a + b, 0)).toBe(count);
    expect(new Set(table.map((l) => l.length)).size).toBe(1);
    expect(stdout).toMatch(/^positive class "1": ROC AUC \d\.\d{4}, average precision \d\.\d{4}$/m);
    expect(lines.at(-1)).toMatch(new RegExp(`^saved to ${path.join(imageRun, 'evaluations', 'validation.json').replace(/[.\\/]/g, '\\$&')} \\(\\d+\\.\\d s\\)$`));
  });

  it('--json prints the evaluation as one line; --split test and --data choose what is evaluated', async () => {
    const test = await strata('evaluate', imageRun, '--split', 'test', '--json');
    expect(test.code, test.stderr).toBe(0);
    expect(test.stdout.split('\n')).toHaveLength(1);
    const e = EvaluationSchema.parse(JSON.parse(test.stdout));
    expect(e).toMatchObject({ task: 'classification', source: { kind: 'split', split: 'test' }, count: readRunRecord(imageRun).testFiles!.length });

    const other = path.join(work, 'more-digits');
    for (const d of ['0', '1']) fs.cpSync(path.join(work, 'all-digits', d), path.join(other, d), { recursive: true });
    const data = await strata('evaluate', imageRun, '--data', other, '--json');
    expect(data.code, data.stderr).toBe(0);
    expect(EvaluationSchema.parse(JSON.parse(data.stdout))).toMatchObject({ source: { kind: 'data', path: other }, count: 60 });
  });

  it('prints MSE, MAE and R² per column for regression', async () => {
    const { code, stdout, stderr } = await strata('evaluate', priceRun);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^column +MSE +MAE +R²$/m);
    expect(stdout).toMatch(/^price +[\d.e+]+ +[\d.e+]+ +0\.9\d{3}$/m);
    const json = EvaluationSchema.parse(JSON.parse((await strata('evaluate', priceRun, '--json')).stdout));
    expect(json.task === 'regression' && json.columns[0]!.r2).toBeGreaterThan(0.9);
  });

  it('exits non-zero with the reason: no test split, no such run, no such data, bad flags', async () => {
    const noTest = await strata('evaluate', priceRun, '--split', 'test');
    expect(noTest.code).toBe(1);
    expect(noTest.stderr).toMatch(/^strata evaluate: The run has no test samples.*--test-split.* \[EMPTY_SPLIT\]$/);
    const notARun = await strata('evaluate', path.join(work, 'digits'));
    expect(notARun.code).toBe(1);
    expect(notARun.stderr).toContain('is not a Strata run folder');
    const noData = await strata('evaluate', imageRun, '--data', path.join(work, 'nowhere'));
    expect(noData.code).toBe(1);
    expect(noData.stderr).toMatch(/does not exist.*\[NOT_FOUND\]$/);
    for (const args of [[], [imageRun, '--split', 'train'], [imageRun, '--split', 'test', '--data', work]]) {
      const bad = await strata('evaluate', ...args);
      expect(bad.code, args.join(' ')).toBe(2);
      expect(bad.stderr).toContain('strata evaluate <runDir> [--split validation|test]');
    }
  });

  it('is listed in the help', async () => {
    expect((await strata('evaluate', '--help')).stdout).toContain('strata evaluate <runDir>');
    expect((await strata('help')).stdout).toContain('strata evaluate <runDir>');
  });
});
