import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandSweep, SweepSpecSchema } from '../../src-shared/contract/sweep.ts';
import { TrainingConfigSchema } from '../../src-shared/contract/project.ts';
import { TEMPLATES } from '../../src-shared/spec/templates.ts';
import { seededRandom } from '../../src-shared/util/seeded-random.ts';
import { readRunRecord } from '../engine/train/run-store.ts';
import { captureCli as strata } from './capture-cli.ts';

let work: string;
let project: string;

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-sweep-'));
  const r = seededRandom(5);
  const rows = ['a,b,kind'];
  for (let i = 0; i < 240; i++) { const a = r(); const b = r(); rows.push(`${a},${b},${a + b > 1 ? 'high' : 'low'}`); }
  fs.writeFileSync(path.join(work, 'points.csv'), rows.join('\n'));
  project = path.join(work, 'points.strata.json');
  expect((await strata('new', '--template', 'mlp', '--data', path.join(work, 'points.csv'), '--target', 'kind', '--out', project)).code).toBe(0);
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('expandSweep', () => {
  const mlp = TEMPLATES.find((t) => t.id === 'mlp')!.build({ inputShape: [2], classes: 2 });
  const training = TrainingConfigSchema.parse({});
  it('makes every combination for a grid, and a seeded draw for random', () => {
    const grid = expandSweep(SweepSpecSchema.parse({ params: { learningRate: [0.1, 0.01], 'dense_1.units': [8, 16, 32] } }), mlp, training);
    expect(grid.map((t) => t.params)).toHaveLength(6);
    expect(grid[4]).toMatchObject({ params: { learningRate: 0.01, 'dense_1.units': 16 }, training: { learningRate: 0.01 } });
    expect(grid[4]!.spec.config.layers.find((l) => l.name === 'dense_1')!.config.units).toBe(16);
    const random = SweepSpecSchema.parse({ mode: 'random', trials: 3, seed: 4, params: { learningRate: [0.1, 0.01, 0.001], 'dropout_1.rate': [0, 0.2, 0.5] } });
    expect(expandSweep(random, mlp, training).map((t) => t.params)).toEqual(expandSweep(random, mlp, training).map((t) => t.params));
    expect(expandSweep(random, mlp, training)).toHaveLength(3);
  });
  it('names what is wrong before anything trains', () => {
    const bad = (params: Record<string, unknown[]>) => () => expandSweep(SweepSpecSchema.parse({ params }), mlp, training);
    expect(bad({ 'dense_9.units': [1] })).toThrow(/neither a training setting .* nor <layer>\.<parameter> of a layer in this graph \(input_1, dense_1/);
    expect(bad({ 'dense_1.colour': [1] })).toThrow(/layer "dense_1" \(Dense\) has no parameter "colour"; it has units/);
    expect(bad({ learningRate: [-1] })).toThrow(/learningRate = -1 is not allowed/);
  });
});

describe('strata sweep', () => {
  it('trains each combination as a run, ranks them and keeps the table', async () => {
    const out = await strata('sweep', project, '--grid', '{"learningRate":[0.0001,0.03],"dense_1.units":[4,32]}', '--metric', 'val_acc', '--epochs', '4');
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/4 trial\(s\), ranked by val_acc/);
    const table = JSON.parse(fs.readFileSync(out.stdout.match(/table in (\S+sweep\.json)/)![1]!, 'utf8'));
    expect(table.rows).toHaveLength(4);
    const accs = table.rows.map((r: { best: { val_acc: number } }) => r.best.val_acc);
    expect([...accs].sort((x: number, y: number) => y - x)).toEqual(accs); // best first
    // A larger learning rate and more units learn this in 4 epochs; the tiny rate does not.
    expect(table.rows[0].params.learningRate).toBe(0.03);
    expect(table.rows.at(-1).params.learningRate).toBe(0.0001);
    const record = readRunRecord(table.rows[0].runDir);
    expect(record.sweep).toMatchObject({ id: table.id, params: table.rows[0].params });
    const runs = JSON.parse((await strata('runs', project, '--json')).stdout);
    expect(runs.filter((r: { runId: string }) => r.runId.startsWith(table.id))).toHaveLength(4);
  });

  it('refuses a setting that does not exist, with the layers it could be', async () => {
    const out = await strata('sweep', project, '--grid', '{"dense_7.units":[4]}');
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/"dense_7\.units" is neither a training setting/);
  });
});
