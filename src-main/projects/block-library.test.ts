import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeBlock } from '../../src-shared/graph/graph-blocks.ts';
import { getTemplate } from '../../src-shared/spec/templates.ts';
import { blockLibraryPath, readBlockLibrary, saveToBlockLibrary } from './block-library.ts';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-library-'));
  process.env.STRATA_CONFIG_DIR = path.join(dir, 'config');
});
afterEach(() => {
  delete process.env.STRATA_CONFIG_DIR;
  fs.rmSync(dir, { recursive: true, force: true });
});

const block = () => makeBlock(getTemplate('lenet')!.build(), ['conv2d_2', 'max_pooling2d_2'], 'conv_pool').spec.blocks!.conv_pool!;

describe('the user block library', () => {
  it('starts empty, keeps saved blocks in blocks.json and replaces one saved again under its name', () => {
    expect(readBlockLibrary()).toEqual({});
    const file = saveToBlockLibrary('conv_pool', block());
    expect(file).toBe(path.join(dir, 'config', 'blocks.json'));
    expect(readBlockLibrary()).toEqual({ conv_pool: block() });
    const changed = { ...block(), output: 'conv2d_2' };
    saveToBlockLibrary('other', block());
    saveToBlockLibrary('conv_pool', changed);
    expect(readBlockLibrary()).toEqual({ conv_pool: changed, other: block() });
  });

  it('refuses a broken library file by name, and never overwrites it on read', () => {
    fs.mkdirSync(path.dirname(blockLibraryPath()), { recursive: true });
    fs.writeFileSync(blockLibraryPath(), '{"schemaVersion": 1, "blocks": {"x": {"layers": []}}}');
    expect(() => readBlockLibrary()).toThrow(`${blockLibraryPath()} (your block library) is not a Strata block library`);
    fs.writeFileSync(blockLibraryPath(), 'not json');
    expect(() => readBlockLibrary()).toThrow(/is not valid JSON/);
    expect(() => saveToBlockLibrary('b', block())).toThrow(/is not valid JSON/); // a save does not clobber it either
    expect(fs.readFileSync(blockLibraryPath(), 'utf8')).toBe('not json');
  });
});
