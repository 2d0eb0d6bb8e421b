import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TimeSeriesDataConfigSchema } from '../../../src-shared/contract/data-config.ts';
import { readAll } from '../loaded-dataset.ts';
import { loadTimeSeriesDataset } from './load-timeseries-dataset.ts';

let dir: string;
let file: string;
const config = (extra: Record<string, unknown> = {}) => TimeSeriesDataConfigSchema.parse({ kind: 'timeseries', path: file, target: 'load', ...extra });

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-series-'));
  file = path.join(dir, 'power.csv');
  // Row r: temp = r, load = 10·r (so a target is easy to check), one missing temp at row 5.
  const lines = ['time,temp,load'];
  for (let r = 0; r < 100; r++) lines.push(`t${r},${r === 5 ? '' : r},${10 * r}`);
  fs.writeFileSync(file, lines.join('\n'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('loadTimeSeriesDataset', () => {
  it('makes windows whose target is `horizon` rows after the window, in time order with a gap between splits', () => {
    const ds = loadTimeSeriesDataset(config({ window: 4, horizon: 2, validationSplit: 0.2, testSplit: 0.1 }));
    expect(ds.sampleShape).toEqual([4, 2]); // temp and load (numeric, non-constant; "time" is text)
    const span = 4 + 2 - 1;
    const windows = 100 - span;
    expect(ds.validation.count).toBe(Math.floor(windows * 0.2));
    expect(ds.test.count).toBe(Math.floor(windows * 0.1));
    expect(ds.train.count).toBe(windows - ds.validation.count - ds.test.count - 2 * span);
    // The first training window covers rows 1–4 (data rows are 1-based) and forecasts row 6.
    expect(ds.train.ids[0]).toBe('rows 1–4 → row 6');
    // Validation starts a gap after the last training window's target: no shared rows.
    const lastTrainTarget = Number(ds.train.ids.at(-1)!.split('row ').at(-1));
    const firstValidationRow = Number(ds.validation.ids[0]!.match(/rows (\d+)/)![1]);
    expect(firstValidationRow).toBeGreaterThan(lastTrainTarget);
    // Targets are standardised with training statistics; undo that to check the value.
    const t = ds.targets;
    if (t.type !== 'regression') throw new Error('expected regression');
    const y0 = (ds.train.y as Float32Array)[0]! * t.std[0]! + t.mean[0]!;
    expect(y0).toBeCloseTo(10 * 5, 3); // data row 6 is r = 5
  });

  it('carries a missing value forward and says so, and standardises features on training rows only', () => {
    const ds = loadTimeSeriesDataset(config({ window: 3, features: ['temp'] }));
    expect(ds.skipped).toEqual([{ file: 'column temp', reason: '1 missing value(s) filled with the value before them' }]);
    const pre = ds.preprocessing;
    if (pre.kind !== 'timeseries') throw new Error('expected time-series preprocessing');
    const trainRows = ds.train.count + 3; // rows touched by training windows and their targets
    expect(pre.features[0]!.mean).toBeLessThan(trainRows); // the later (larger) rows did not count
    const x = readAll(ds.train.x);
    const raw = (v: number) => v * pre.features[0]!.std + pre.features[0]!.mean;
    expect(raw(x[5 * 3 + 0]!)).toBeCloseTo(4, 3); // window starting at r = 5: r5 is missing → carries r4 = 4
  });

  it('leaves a time index (an always increasing column) out of the default features, and says so', () => {
    const indexed = path.join(dir, 'indexed.csv');
    fs.writeFileSync(indexed, ['step,level', ...Array.from({ length: 40 }, (_, r) => `${r},${Math.sin(r)}`)].join('\n'));
    const ds = loadTimeSeriesDataset(TimeSeriesDataConfigSchema.parse({ kind: 'timeseries', path: indexed, target: 'level', window: 4 }));
    expect(ds.sampleShape).toEqual([4, 1]);
    expect(ds.skipped).toEqual([{ file: 'column step', reason: expect.stringContaining('always increasing (a time index?)') }]);
  });

  it('refuses a series too short for its window with the numbers in the message', () => {
    expect(() => loadTimeSeriesDataset(config({ window: 90, horizon: 5 }))).toThrow(/has 100 usable row\(s\); a window of 90 rows with a horizon of 5/);
    expect(() => loadTimeSeriesDataset(config({ features: ['time'] }))).toThrow(/Column "time" .* must be numeric but holds "t0"/);
  });
});
