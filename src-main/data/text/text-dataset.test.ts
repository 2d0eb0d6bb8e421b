import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TextDataConfigSchema } from '../../../src-shared/contract/data-config.ts';
import { readAll } from '../loaded-dataset.ts';
import { loadTextDataset } from './load-text-dataset.ts';
import { textHealth } from './text-health-report.ts';
import { tokenize } from './tokenize.ts';

let dir: string;
const put = (rel: string, content: string | Buffer): void => {
  const file = path.join(dir, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
};
const config = (p: string, extra: Record<string, unknown> = {}) => TextDataConfigSchema.parse({ kind: 'text', path: p, ...extra });

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-text-'));
  for (let i = 0; i < 20; i++) {
    put(`reviews/pos/${i}.txt`, `A great film, truly great number ${i}. Loved it!`);
    put(`reviews/neg/${i}.txt`, `An awful film, boring and awful ${i}.`);
  }
  put('reviews/neg/empty.txt', '');
  put('reviews/neg/latin1.txt', Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0x6e, 0x6f, 0x69, 0x72])); // "café noir" in Latin-1
  put('reviews/neg/picture.png', Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  put('reviews/.DS_Store', 'junk');
  put('reviews/pos/copy.txt', 'An awful film, boring and awful 3.'); // the same text as neg/3.txt, under another label
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('tokenize', () => {
  it('splits on anything but letters, digits and apostrophes, in any script', () => {
    expect(tokenize("Don't STOP — naïve café, 42 times!", true)).toEqual(["don't", 'stop', 'naïve', 'café', '42', 'times']);
    expect(tokenize('Привет, мир', false)).toEqual(['Привет', 'мир']);
  });
});

describe('loadTextDataset from a folder per class', () => {
  it('skips unusable files with their reason, and encodes texts as padded ids of a training-only vocabulary', async () => {
    const ds = await loadTextDataset(config(path.join(dir, 'reviews'), { sequenceLength: 12, vocabSize: 30 }));
    expect(ds.targets).toEqual({ type: 'classes', classes: ['neg', 'pos'] });
    expect(ds.skipped).toEqual([
      { file: 'neg/empty.txt', reason: 'empty file (0 bytes)' },
      { file: 'neg/latin1.txt', reason: 'not UTF-8 text; save it again as UTF-8' },
      { file: 'neg/picture.png', reason: expect.stringContaining('not a .txt file') },
    ]);
    expect(ds.train.count + ds.validation.count).toBe(41);
    expect(ds.sampleShape).toEqual([12]);
    const pre = ds.preprocessing;
    if (pre.kind !== 'text') throw new Error('expected text preprocessing');
    expect(pre.vocabulary.length).toBe(28);
    // Most frequent first: "awful" twice in each negative text, "film" once in every text.
    expect(pre.vocabulary.slice(0, 2)).toEqual(['awful', 'film']);
    const x = readAll(ds.train.x);
    const first = Array.from(x.subarray(0, 12));
    const words = tokenize(fs.readFileSync(path.join(dir, 'reviews', ds.train.ids[0]!), 'utf8'), true);
    expect(first.slice(0, 12 - words.length).every((v) => v === 0)).toBe(true); // padded in front
    expect(first.slice(12 - words.length).every((v) => v >= 1)).toBe(true);
  });

  it('reports lengths, coverage and the same text under two labels', async () => {
    const r = await textHealth({ path: path.join(dir, 'reviews'), sequenceLength: 4 });
    expect(r.total).toBe(41);
    expect(r.lengths.truncated).toBe(1); // every text is longer than 4 tokens
    expect(r.vocabulary.trainCoverage).toBe(1);
    expect(r.duplicates).toEqual([expect.objectContaining({ files: ['neg/3.txt', 'pos/copy.txt'], crossClass: true })]);
    expect(r.findings[0]).toMatchObject({ severity: 'error', message: expect.stringContaining('different labels') });
  });
});

describe('loadTextDataset from a CSV', () => {
  it('finds the text and label columns by name and skips rows without either', async () => {
    const lines = ['id,review,sentiment'];
    for (let i = 0; i < 10; i++) lines.push(`${i},"good, good movie ${i}",pos`, `${i + 10},"bad movie\nreally ${i}",neg`);
    lines.push('99,,pos', '100,"no label",');
    fs.writeFileSync(path.join(dir, 'reviews.csv'), lines.join('\n'));
    const ds = await loadTextDataset(config(path.join(dir, 'reviews.csv'), { sequenceLength: 6 }));
    expect(ds.targets).toEqual({ type: 'classes', classes: ['neg', 'pos'] });
    expect(ds.train.count + ds.validation.count).toBe(20);
    expect(ds.skipped.map((s) => s.reason)).toEqual(['has no text in "review"', 'has no label in "sentiment"']);
  });
});
