import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../src-shared/contract/commands.ts';
import { streams } from '../../src-shared/contract/streams.ts';
import { TEMPLATES } from '../../src-shared/spec/templates.ts';
import { EngineHost } from './engine-client.ts';
import { createWebStudioRouter, PATH_FIELDS, PathPolicy, STORED_NOT_OPENED } from './path-policy.ts';
import { objectFields } from './schema-fields.ts';

/** A field name that names a file or folder on the host. */
const PATH_LIKE = /^(path|file|files|out|csv|root|weights|probes|defaultPath|initialWeights)$|(Path|Dir|Csv|File|Files|Weights)$/;

let work: string;
let root: string;
let outside: string;
const engine = new EngineHost();

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-policy-'));
  root = path.join(work, 'root');
  outside = path.join(work, 'outside');
  fs.mkdirSync(path.join(root, 'data'), { recursive: true });
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(outside, 'id_rsa'), 'secret');
  fs.writeFileSync(path.join(root, 'data', 'a.csv'), 'x,y\n1,2\n');
  fs.symlinkSync(outside, path.join(root, 'data', 'escape'));
  fs.symlinkSync(path.join(outside, 'made-by-writing'), path.join(root, 'data', 'dangling'));
});
afterAll(() => {
  engine.dispose();
  fs.rmSync(work, { recursive: true, force: true });
});

describe('the path table', () => {
  it('names every path-like argument field of every command and stream', () => {
    const contract = { ...commands, ...streams };
    const found = Object.fromEntries(Object.entries(contract).map(([name, c]) => {
      const exempt = STORED_NOT_OPENED[name as keyof typeof STORED_NOT_OPENED];
      const fields = objectFields(c.args)
        .filter((f) => PATH_LIKE.test(f.key) && (f.kind === 'string' || f.kind === 'array of string') && !exempt?.test(f.at))
        .map((f) => f.at);
      return [name, [...new Set(fields)].sort()];
    }));
    const declared = Object.fromEntries(Object.keys(contract).map((name) => [
      name, [...new Set((PATH_FIELDS as Record<string, Array<{ at: string }> | undefined>)[name]?.map((f) => f.at) ?? ['(no entry)'])].sort(),
    ]));
    expect(declared).toEqual(found);
  });
});

describe('PathPolicy', () => {
  it('allows what lies inside a root, by real path, and things not yet made there', () => {
    const policy = new PathPolicy([root]);
    expect([
      policy.allows(root), policy.allows(path.join(root, 'data', 'a.csv')), policy.allows(path.join(root, 'new', 'model.onnx')),
      policy.allows(path.join(root, '..', 'outside', 'id_rsa')), policy.allows(path.join(root, 'data', 'escape', 'id_rsa')),
      policy.allows(path.join(root, 'data', 'escape')), policy.allows(`${root}-sibling`), policy.allows('/'),
      // The OS follows `escape` before `..`: this is outside/../x, a sibling of the root.
      policy.allows(`${root}/data/escape/../root/data/a.csv`), policy.allows(`${root}/data/escape/../x`),
      policy.allows(path.join(root, 'data', 'dangling')), policy.allows(path.join(root, 'data', '..', 'data', 'a.csv')), policy.allows(`${root}/a\0b`),
    ]).toEqual([true, true, true, false, false, false, false, false, true, false, false, true, false]);
  });

  it('refuses with FORBIDDEN_PATH naming the field, the path and --root', () => {
    const policy = new PathPolicy([root]);
    const file = path.join(outside, 'id_rsa');
    expect(() => policy.checkArgs('model.import', { path: file })).toThrow(expect.objectContaining({
      code: 'FORBIDDEN_PATH',
      message: expect.stringMatching(new RegExp(`^path "${file}" is outside .*--root`)) as unknown,
      details: { field: 'path', path: file, roots: [fs.realpathSync(root)] },
    }));
  });

  it('resolves a relative labels CSV or probe against the data folder, as training does', () => {
    const policy = new PathPolicy([root]);
    const data = path.join(root, 'data');
    expect(() => policy.checkArgs('dataset.scan', { path: data, labelsCsv: 'a.csv' })).not.toThrow();
    expect(() => policy.checkArgs('dataset.scan', { path: data, labelsCsv: '../../outside/id_rsa' })).toThrow(/labelsCsv/);
    const train = { data: { kind: 'image-folder', path: data, labels: null }, training: { liveSaliency: { probes: ['0/a.png', 'escape/id_rsa'] } } };
    expect(() => policy.checkArgs('train.start', train)).toThrow(/training\.liveSaliency\.probes\[\] ".*escape\/id_rsa"/);
    // A GAN run reads the same data config (a flat folder's labels CSV too) and writes generated images to `out`.
    const gan = (labels: string) => ({ data: { kind: 'image-folder', path: data, labels: { csv: labels } }, runsDir: path.join(root, 'runs') });
    expect(() => policy.checkArgs('gan.start', gan('a.csv'))).not.toThrow();
    expect(() => policy.checkArgs('gan.start', gan('escape/id_rsa'))).toThrow(/data\.labels\.csv ".*escape\/id_rsa"/);
    expect(() => policy.checkArgs('gan.generate', { runId: 'run-1', out: path.join(outside, 'made') })).toThrow(/^out ".*outside\/made" is outside/);
  });
});

describe('the web studio router', () => {
  it('opens the chooser in the first root, offers no way up from it, and refuses other folders', async () => {
    const router = createWebStudioRouter({ engine, runsDir: path.join(root, 'runs') }, new PathPolicy([root]));
    const realRoot = fs.realpathSync(root);
    expect(await router.invoke('fs.list', {})).toEqual({ path: realRoot, parent: null, entries: [{ name: 'data', kind: 'dir' }] });
    expect(await router.invoke('fs.list', { path: path.join(root, 'data') })).toMatchObject({ parent: realRoot });
    await expect(router.invoke('fs.list', { path: os.homedir() })).rejects.toMatchObject({ code: 'FORBIDDEN_PATH' });
    await expect(router.invoke('fs.list', { path: path.join(root, 'data', 'escape') })).rejects.toMatchObject({ code: 'FORBIDDEN_PATH' });
    await expect(router.invoke('project.save', { path: path.join(outside, 'p.strata.json'), project: {
      schemaVersion: 1, kind: 'strata-project', name: 'p', model: TEMPLATES[0]!.build({}),
    } })).rejects.toMatchObject({ code: 'FORBIDDEN_PATH', details: { field: 'path' } });
    expect(fs.existsSync(path.join(outside, 'p.strata.json'))).toBe(false);
  });
});
