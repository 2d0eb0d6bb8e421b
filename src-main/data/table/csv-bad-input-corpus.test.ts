import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataConfigSchema } from '../../../src-shared/contract/data-config.ts';
import { datasetHealth } from '../dataset-health.ts';
import { loadDataset } from '../load-dataset.ts';

// Dirty tables, texts and labels files a person might hand the studio: each is either
// read with the problem named in the report, or refused with a message naming the file
// and what to do — never a crash, never a silent wrong count.
let dir: string;
const at = (name: string) => path.join(dir, name);
const put = (name: string, content: string | Buffer) => {
  fs.mkdirSync(path.dirname(at(name)), { recursive: true });
  fs.writeFileSync(at(name), content);
};

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-csv-corpus-'));
  put('one-column.csv', 'a\n1\n2\n');
  put('empty-target.csv', 'a,b\n1,\n2,NA\n');
  put('tabs.tsv', 'x\ty\tlabel\n1\t2\tcat\n3\t4\tdog\n5\t6\tcat\n7\t8\tdog\n');
  put('one-class.csv', 'x,label\n1,cat\n2,cat\n');
  put('empty.csv', '');
  put('only-header.csv', 'a,b,c\n');
  put('duplicate-header.csv', 'a,a\n1,2\n');
  put('unclosed-quote.csv', 'a,b,label\n1,"open,x\n2,3,y\n4,5,x\n');
  put('utf16.csv', Buffer.from('\uFEFFa,b\n1,2\n', 'utf16le'));
  put('texts/only/a.txt', 'hello');
  put('flat/labels.csv', 'file,label\nnope.png,x\n');
  put('series.csv', 't,v\n1,a\n2,b\n3,c\n');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const table = (file: string, extra: Record<string, unknown> = {}) => DataConfigSchema.parse({ kind: 'csv-table', path: at(file), target: 'label', ...extra });

describe('the bad-input corpus for tables, texts and labels files', () => {
  it('reports what cannot train as an error finding', async () => {
    const errors = async (config: ReturnType<typeof table>) => (await datasetHealth(config)).findings.filter((f) => f.severity === 'error').map((f) => f.message);
    expect(await errors(table('one-column.csv', { target: 'a' }))).toEqual([expect.stringContaining('No column is left to predict "a" from')]);
    expect(await errors(table('one-class.csv'))).toEqual([expect.stringContaining('has only one value ("cat")')]);
    const tsv = await datasetHealth(table('tabs.tsv'));
    expect(tsv).toMatchObject({ kind: 'csv-table', rows: 4, delimiter: '\t', skipped: [] });
  });

  it('refuses, naming the file and the fix', async () => {
    const refusals: Array<[ReturnType<typeof table>, RegExp]> = [
      [table('empty-target.csv', { target: 'b' }), /empty-target\.csv" has no value in the target column "b" in any row\. Fill it in/],
      [table('empty.csv'), /empty\.csv" cannot be read as a CSV table: it is empty/],
      [table('only-header.csv', { target: 'a' }), /only-header\.csv" has a header but no data rows/],
      [table('duplicate-header.csv', { target: 'a' }), /has two columns named "a"/],
      [table('utf16.csv', { target: 'a' }), /utf16\.csv" cannot be read as a CSV table: it is a binary file/],
      [table('one-class.csv'), /only one label \("cat"\) in its target/],
      [DataConfigSchema.parse({ kind: 'text', path: at('texts') }), /only one class folder \("only"\).*sub-folder of \.txt files/],
      [DataConfigSchema.parse({ kind: 'image-folder', path: at('flat'), labels: { csv: 'labels.csv' } }), /no usable images labelled by labels\.csv.*nope\.png does not exist/],
      [DataConfigSchema.parse({ kind: 'timeseries', path: at('series.csv'), target: 'v' }), /Column "v" of .*series\.csv" must be numeric but holds "a"/],
    ];
    for (const [config, message] of refusals) {
      await expect(loadDataset(config), config.path).rejects.toThrow(message);
    }
  });

  it('says where an unclosed quote swallowed the rest of the file, instead of "no data rows"', async () => {
    await expect(loadDataset(table('unclosed-quote.csv'))).rejects.toThrow(/unclosed-quote\.csv" cannot be read as a CSV table: none of its rows fits the header \(row 1 .*quote/i);
  });
});
