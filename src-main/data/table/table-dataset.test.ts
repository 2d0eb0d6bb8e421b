import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TableDataConfigSchema } from '../../../src-shared/contract/data-config.ts';
import { readAll } from '../loaded-dataset.ts';
import { loadTableDataset } from './load-table-dataset.ts';
import { readCsv } from './read-csv.ts';
import { tableHealth } from './table-health-report.ts';

let dir: string;
const write = (name: string, text: string | Buffer): string => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
};
const config = (file: string, extra: Record<string, unknown> = {}) => TableDataConfigSchema.parse({ kind: 'csv-table', path: file, target: 'species', ...extra });

/** 60 rows: two numeric features that decide the class, a categorical colour, an id column. */
function flowers(rows = 60): string {
  const lines = ['id,length,width,colour,species'];
  for (let i = 0; i < rows; i++) {
    const big = i % 2 === 0;
    lines.push(`${i},${(big ? 6 : 2) + (i % 7) * 0.1},${(big ? 3 : 1) + (i % 5) * 0.1},${['red', 'blue', 'white'][i % 3]},${big ? 'virginica' : 'setosa'}`);
  }
  return `${lines.join('\n')}\n`;
}

beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-table-')); });
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('readCsv on the dirty CSVs people actually have', () => {
  it('drops a BOM, guesses semicolons, keeps quoted newlines, skips ragged rows and names them', () => {
    const file = write('dirty.csv', '\uFEFFname;note;score\n"Ann";"line one\nline two";3\nBob;short\n"Cy";"a ""quoted"" word";5\n\n');
    const t = readCsv(file);
    expect(t.columns).toEqual(['name', 'note', 'score']);
    expect(t.delimiter).toBe(';');
    expect(t.rows).toEqual([['Ann', 'line one\nline two', '3'], ['Cy', 'a "quoted" word', '5']]);
    expect(t.skipped).toEqual([{ file: 'row 2', reason: expect.stringContaining('has 2 values but the header has 3 columns') }]);
  });

  it('refuses binary files, duplicate headers and header-only files with the file named', () => {
    expect(() => readCsv(write('bin.csv', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2])))).toThrow(/bin\.csv.*binary/);
    expect(() => readCsv(write('dup.csv', 'a,b,a\n1,2,3\n'))).toThrow(/two columns named "a"/);
    expect(() => readCsv(write('head.csv', 'a,b\n'))).toThrow(/no data rows/);
    expect(() => readCsv(path.join(dir, 'missing.csv'))).toThrow(/does not exist/);
  });
});

describe('loadTableDataset', () => {
  it('standardises numbers and one-hot encodes categories with training-split statistics only', () => {
    const ds = loadTableDataset(config(write('flowers.csv', flowers()), { ignore: ['id'] }));
    expect(ds.targets).toEqual({ type: 'classes', classes: ['setosa', 'virginica'] });
    const pre = ds.preprocessing;
    if (pre.kind !== 'table') throw new Error('expected table preprocessing');
    expect(pre.features.map((f) => f.column)).toEqual(['length', 'width', 'colour']);
    expect(ds.sampleShape).toEqual([2 + 3]);
    const x = readAll(ds.train.x);
    const n = ds.train.count;
    const meanOf = (col: number) => Array.from({ length: n }, (_, i) => x[i * 5 + col]!).reduce((a, b) => a + b, 0) / n;
    expect(Math.abs(meanOf(0))).toBeLessThan(1e-5); // standardised on exactly these rows
    const lengths = ds.train.ids.map((id) => flowers().split('\n')[Number(id.slice(4))]!.split(',')[1]!).map(Number);
    const trainMean = lengths.reduce((a, b) => a + b, 0) / lengths.length;
    expect((pre.features[0] as { mean: number }).mean).toBeCloseTo(trainMean, 6);
    for (let i = 0; i < n; i++) expect(x[i * 5 + 2]! + x[i * 5 + 3]! + x[i * 5 + 4]!).toBe(1); // one category each
    expect(ds.train.count + ds.validation.count).toBe(60);
    expect(ds.validation.count).toBeGreaterThan(5);
  });

  it('a category never seen in training encodes as all zeros, and rows without a target are skipped and named', () => {
    const text = `${flowers(40)}99,2.0,1.0,green,setosa\n100,2.1,1.1,red,\n`;
    const ds = loadTableDataset(config(write('unseen.csv', text), { ignore: ['id'], validationSplit: 0.5, seed: 3 }));
    expect(ds.skipped).toContainEqual({ file: 'row 42', reason: 'has no value in the target column "species"' });
    const pre = ds.preprocessing as { features: Array<{ column: string; categories?: string[] }> };
    const colours = pre.features.find((f) => f.column === 'colour')!.categories!;
    expect(colours).not.toContain('green');
  });

  it('infers regression for a continuous target and standardises it; classification for few whole numbers', () => {
    const lines = ['x,y,grade'];
    for (let i = 0; i < 50; i++) lines.push(`${i},${3 * i + 7.5},${i % 3}`);
    const file = write('reg.csv', lines.join('\n'));
    const reg = loadTableDataset(config(file, { target: 'y' }));
    expect(reg.targets.type).toBe('regression');
    const ys = Array.from(reg.train.y as Float32Array);
    expect(Math.abs(ys.reduce((a, b) => a + b, 0) / ys.length)).toBeLessThan(1e-5);
    const cls = loadTableDataset(config(file, { target: 'grade' }));
    expect(cls.targets).toEqual({ type: 'classes', classes: ['0', '1', '2'] });
  });

  it('keeps every row on its side when rows are appended, and puts a test split aside', () => {
    const before = loadTableDataset(config(write('grow.csv', flowers(60)), { ignore: ['id'], testSplit: 0.2 }));
    const after = loadTableDataset(config(write('grow2.csv', flowers(120)), { ignore: ['id'], testSplit: 0.2 }));
    expect(before.test.count).toBeGreaterThan(0);
    const side = (ds: typeof before) => new Map<string, string>([...ds.train.ids.map((id) => [id, 't'] as const), ...ds.validation.ids.map((id) => [id, 'v'] as const), ...ds.test.ids.map((id) => [id, 'x'] as const)]);
    const a = side(before);
    const b = side(after);
    for (const [id, s] of a) expect(b.get(id)).toBe(s);
  });

  it('names the columns when the target does not exist', () => {
    expect(() => loadTableDataset(config(write('f.csv', flowers()), { target: 'kind' }))).toThrow(/no column "kind" \(the target\).*"id", "length", "width", "colour", "species"/);
  });
});

describe('tableHealth', () => {
  it('reports types, missing values, constant columns, the target distribution, duplicates and skipped rows', () => {
    const text = 'a,b,c,label\n1,x,7,yes\n2,,7,no\n3,y,7,yes\n1,x,7,yes\n4,z,7\n';
    const r = tableHealth(write('health.csv', text), { target: 'label' });
    const col = (name: string) => r.columns.find((c) => c.name === name)!;
    expect(col('a').type).toBe('numeric');
    expect(col('b')).toMatchObject({ type: 'categorical', missing: 1 });
    expect(col('c').constant).toBe(true);
    expect(r.target?.classes.map((c) => [c.name, c.count])).toEqual([['no', 1], ['yes', 3]]);
    expect(r.duplicateRows).toBe(1);
    expect(r.skipped).toEqual([{ file: 'row 5', reason: expect.stringContaining('ragged') }]);
    expect(r.findings.map((f) => f.message).join('\n')).toMatch(/Column "c" holds one value/);
  });
});
