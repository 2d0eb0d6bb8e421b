import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataHealthReportSchema } from '../../src-shared/contract/data-health.ts';
import { readProjectFile } from '../projects/project-file.ts';
import { captureCli as strata } from './capture-cli.ts';

let work: string;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-cli-kinds-'));
  // A dirty CSV: semicolons, a quoted newline, a ragged row, a row with no target, a constant column.
  const rows = ['sepal;petal;note;site;species'];
  for (let i = 0; i < 40; i++) rows.push(`${(4 + (i % 2) * 2 + (i % 5) * 0.1).toFixed(1)};${(1 + (i % 2) * 3).toFixed(1)};"seen in the greenhouse\non a sunny morning, day ${i}";lab;${i % 2 ? 'virginica' : 'setosa'}`);
  rows.push('5.0;1.2;"ok";lab', '5.1;1.3;"x";lab;');
  fs.writeFileSync(path.join(work, 'iris.csv'), `\uFEFF${rows.join('\n')}\n`);
  for (const [label, word] of [['spam', 'prize'], ['ham', 'meeting']] as const) {
    fs.mkdirSync(path.join(work, 'mail', label), { recursive: true });
    for (let i = 0; i < 15; i++) fs.writeFileSync(path.join(work, 'mail', label, `${i}.txt`), `hello ${word} number ${i} ${word}`);
  }
  fs.writeFileSync(path.join(work, 'mail', 'ham', 'bad.txt'), Buffer.from([0xff, 0xfe, 0x00, 0x41]));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('strata inspect-data on a CSV and on texts', () => {
  it('reports a dirty CSV: types, the constant column, the target, skipped rows with their numbers', async () => {
    const human = await strata('inspect-data', path.join(work, 'iris.csv'), '--target', 'species');
    expect(human.stdout).toMatch(/41 rows, 5 columns \(delimiter ";"/); // the ragged row is not one of them
    expect(human.stdout).toMatch(/site\s+categorical \(const\)/);
    expect(human.stdout).toMatch(/target "species" \(classification\)/);
    expect(human.stdout).toMatch(/row 41: has 4 values but the header has 5 columns/);
    expect(human.stdout).toMatch(/row 42: has no value in the target column "species"/);
    const json = DataHealthReportSchema.parse(JSON.parse((await strata('inspect-data', path.join(work, 'iris.csv'), '--json')).stdout));
    if (json.kind !== 'csv-table') throw new Error('expected a table report');
    expect(json.target).toMatchObject({ column: 'species', task: 'classification' }); // suggested by name
    expect(json.columns.find((c) => c.name === 'note')!.type).toBe('text');
  });

  it('reports a text folder, detected from its .txt files, with the unreadable file named', async () => {
    const out = await strata('inspect-data', path.join(work, 'mail'), '--sequence-length', '4');
    expect(out.stdout).toMatch(/30 texts in 2 classes/);
    expect(out.stdout).toMatch(/ham\/bad\.txt: binary file, not text/);
    expect(out.stdout).toMatch(/100% longer than the sequence length 4/);
  });

  it('refuses an unknown target and a bad kind with the choices in the message', async () => {
    const bad = await strata('inspect-data', path.join(work, 'iris.csv'), '--target', 'colour');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/no column "colour" \(the target\)\. Its columns are: "sepal", "petal", "note", "site", "species"/);
    const kind = await strata('inspect-data', path.join(work, 'iris.csv'), '--kind', 'audio');
    expect(kind.code).toBe(2);
    expect(kind.stderr).toMatch(/--kind must be one of image-folder, csv-table, text, timeseries/);
  });
});

describe('strata new and train on a CSV', () => {
  it('sizes an MLP for the table, and trains it from the project file', async () => {
    const project = path.join(work, 'iris.strata.json');
    const created = await strata('new', '--template', 'mlp', '--data', path.join(work, 'iris.csv'), '--target', 'species', '--out', project);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/2 classes \(40 rows, input 2\)/);
    const saved = readProjectFile(project);
    expect(saved.data).toMatchObject({ kind: 'csv-table', target: 'species', path: path.join(work, 'iris.csv') });
    const inspected = await strata('inspect', project);
    expect(inspected.stdout.split('\n')[0]).toMatch(/dataset .*iris\.csv: 2 classes, samples of shape \(2\)$/);
    const run = await strata('train', project, '--epochs', '3', '--json');
    const events = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; status?: string; dataLine?: string });
    expect(events[0]).toMatchObject({ type: 'started', dataLine: expect.stringMatching(/rows for training/) });
    expect(events.at(-1)).toMatchObject({ type: 'end', status: 'completed' });

    // Explained per column: a validation row, and a row typed on the command line.
    const runDir = (events.at(-1) as unknown as { runDir: string }).runDir;
    const sample = await strata('explain', runDir, '--sample', '0', '--json');
    expect(sample.code, sample.stderr).toBe(0);
    const explained = JSON.parse(sample.stdout) as { predicted: string; attribution: { kind: string; features: Array<{ name: string }> } };
    expect(['setosa', 'virginica']).toContain(explained.predicted);
    expect(explained.attribution.kind).toBe('features');
    expect(explained.attribution.features.map((f) => f.name).sort()).toEqual(['petal', 'sepal']);
    const typed = await strata('explain', runDir, '--row', '{"sepal": "6.1", "petal": "4.0"}');
    expect(typed.code, typed.stderr).toBe(0);
    expect(typed.stdout).toMatch(/^predicted: (setosa|virginica)\n {2}(petal|sepal) +[+-]\d/);
    const wrong = await strata('explain', runDir, '--text', 'a text for a table model');
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toMatch(/CSV table: explain one of its samples or a row/);
  });
});
