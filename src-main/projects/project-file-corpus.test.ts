import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PROJECT_VERSION, ProjectSchema, TrainingConfigSchema, type Project } from '../../src-shared/contract/project.ts';
import { getTemplate } from '../../src-shared/spec/templates.ts';
import { PROJECT_LIMITS } from './project-json-guard.ts';
import { migrateProject, PROJECT_MIGRATIONS, type ProjectMigration } from './project-migrations.ts';
import { PROJECT_FILE_IN_FOLDER, readProjectFile, removeStaleTempFiles, writeProjectFile } from './project-file.ts';

let dir: string;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-project-corpus-')); });
afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

function lenetProject(name = 'digits'): Project {
  return ProjectSchema.parse({ schemaVersion: PROJECT_VERSION, kind: 'strata-project', name, model: getTemplate('lenet')!.build(), training: TrainingConfigSchema.parse({}) });
}
const validJson = (): Record<string, unknown> => JSON.parse(JSON.stringify(lenetProject())) as Record<string, unknown>;

/**
 * The hostile corpus: each entry is a file a person might be handed, the error it must
 * give and why it is here. Reading any of them must throw that error and write nothing.
 */
const CORPUS: Array<{ name: string; why: string; content: () => string | Buffer; code: string; message: RegExp }> = [
  { name: 'truncated.strata.json', why: 'a save cut short by a full disk or a copy interrupted', code: 'NOT_A_PROJECT', message: /is not valid JSON.*cut short/,
    content: () => JSON.stringify(validJson()).slice(0, 500) },
  { name: 'empty.strata.json', why: 'a file created but never written', code: 'NOT_A_PROJECT', message: /is not valid JSON.*empty/, content: () => '' },
  { name: 'binary.strata.json', why: 'a PNG renamed to .json', code: 'NOT_A_PROJECT', message: /not UTF-8/,
    content: () => Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0xfe, 0x00, 0x80]) },
  { name: 'array.strata.json', why: 'JSON that is not an object', code: 'NOT_A_PROJECT', message: /no "kind": "strata-project"/, content: () => '[1,2,3]' },
  { name: 'keras-config.json', why: 'another tool\'s JSON', code: 'NOT_A_PROJECT', message: /no "kind": "strata-project"/, content: () => '{"class_name":"Sequential","config":{}}' },
  { name: 'wrong-types.strata.json', why: 'hand-edited fields of the wrong type', code: 'BAD_PROJECT', message: /name: .*; .*training\.epochs/,
    content: () => JSON.stringify({ ...validJson(), name: 42, training: { epochs: 'five' } }) },
  { name: 'no-model.strata.json', why: 'a project without its graph', code: 'BAD_PROJECT', message: /model/, content: () => JSON.stringify({ ...validJson(), model: undefined }) },
  { name: 'bad-version.strata.json', why: 'a version that is not a number', code: 'BAD_PROJECT', message: /no valid "schemaVersion" \(found "one"\)/,
    content: () => JSON.stringify({ ...validJson(), schemaVersion: 'one' }) },
  { name: 'newer.strata.json', why: 'written by a newer Strata: reading it would drop what this one does not know', code: 'PROJECT_TOO_NEW',
    message: new RegExp(`project version ${PROJECT_VERSION + 1}; this one reads up to ${PROJECT_VERSION}\\). Update Strata`),
    content: () => JSON.stringify({ ...validJson(), schemaVersion: PROJECT_VERSION + 1, somethingNew: {} }) },
  { name: 'deep.strata.json', why: 'a crafted nesting bomb (recursion would overflow the stack)', code: 'PROJECT_TOO_DEEP', message: /more than 64 deep/,
    content: () => `{"kind":"strata-project","schemaVersion":1,"name":"x","model":${'['.repeat(100_000)}${']'.repeat(100_000)}}` },
  { name: 'proto.strata.json', why: 'a __proto__ key meant to pollute objects merged from the file', code: 'BAD_PROJECT', message: /"__proto__" key at model\.layout\.__proto__/,
    content: () => JSON.stringify(validJson()).replace('"layout":{', '"layout":{"__proto__":{"polluted":true},') },
  { name: 'huge-string.strata.json', why: 'a 20 MB project name (under the size cap) would freeze the window', code: 'PROJECT_STRING_TOO_LONG',
    message: /string of 20,000,000 characters at name/, content: () => JSON.stringify({ ...validJson(), name: 'x'.repeat(20_000_000) }) },
  { name: 'enormous.strata.json', why: 'beyond the size cap: refused from stat, before a byte is read', code: 'PROJECT_TOO_LARGE', message: /is 33\.0 MiB, beyond the 32\.0 MiB/,
    content: () => `{"kind":"strata-project","pad":"${'x'.repeat(PROJECT_LIMITS.maxBytes + 1024 * 1024)}"}` },
];

describe('a project file from anywhere', () => {
  it.each(CORPUS)('$name ($why) is refused with a clear error and nothing is written', ({ name, content, code, message }) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, content());
    const before = fs.readFileSync(file);
    let caught: unknown;
    try { readProjectFile(file); } catch (err) { caught = err; }
    expect(caught).toMatchObject({ code, message: expect.stringContaining(file) });
    expect((caught as Error).message).toMatch(message);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(fs.readdirSync(dir)).toEqual([name]);
  });

  it('refuses to save what it could not open again, keeping the file on disk', () => {
    const file = path.join(dir, 'kept.strata.json');
    writeProjectFile(file, lenetProject('kept'));
    const before = fs.readFileSync(file);
    expect(() => writeProjectFile(file, lenetProject('n'.repeat(PROJECT_LIMITS.maxStringChars + 1))))
      .toThrow(expect.objectContaining({ code: 'PROJECT_STRING_TOO_LONG', message: expect.stringMatching(/kept\.strata\.json \(project file\) has a string of 65,537 characters at name.*It was not written/) }));
    expect({ same: fs.readFileSync(file).equals(before), files: fs.readdirSync(dir) }).toEqual({ same: true, files: ['kept.strata.json'] });
  });

  it('a "constructor" key is kept as data and pollutes no prototype', () => {
    const raw = validJson();
    (raw.model as { layout: Record<string, unknown> }).layout = { constructor: { x: 1, y: 2 } };
    raw.extra = { constructor: { prototype: { polluted: true } } };
    const file = path.join(dir, 'constructor.strata.json');
    fs.writeFileSync(file, JSON.stringify(raw));
    const project = readProjectFile(file);
    expect({ layout: project.model.layout, extra: 'extra' in project, polluted: ({} as Record<string, unknown>).polluted }).toEqual({
      layout: { constructor: { x: 1, y: 2 } }, extra: false, polluted: undefined,
    });
  });

  it('opens a project folder through its project.strata.json, and refuses a folder without one', () => {
    const folder = path.join(dir, 'digits-project');
    fs.mkdirSync(folder);
    expect(() => readProjectFile(folder)).toThrow(/is a folder without project\.strata\.json/);
    expect(writeProjectFile(folder, lenetProject('in a folder'))).toBe(path.join(folder, PROJECT_FILE_IN_FOLDER));
    expect(readProjectFile(folder).name).toBe('in a folder');
  });

  it('removes temp files of writers that died, never the project or a live writer\'s', () => {
    const file = path.join(dir, 'p.strata.json');
    writeProjectFile(file, lenetProject());
    const dead = `.p.strata.json.999999999.1700000000000.tmp`;
    const live = `.p.strata.json.${process.ppid}.1700000000000.tmp`;
    fs.writeFileSync(path.join(dir, dead), '{"half": ');
    fs.writeFileSync(path.join(dir, live), '{"half": ');
    expect(removeStaleTempFiles(file)).toEqual([dead]);
    expect(fs.readdirSync(dir).sort()).toEqual([live, 'p.strata.json'].sort());
  });
});

describe('project versions', () => {
  // The shipped format has one version so far; a chain of invented versions proves the machinery.
  const chain: ProjectMigration[] = [
    { from: 2, to: 3, name: 'RenameEpochCount', migrate: (p) => ({ ...p, training: { epochs: (p.training as { epochCount: number }).epochCount } }) },
    { from: 1, to: 2, name: 'AddTrainingSection', migrate: (p) => ({ ...p, training: { epochCount: p.epochs }, epochs: undefined }) },
  ];

  it('brings an old file up step by step, in order, without touching its input', () => {
    const old = { kind: 'strata-project', schemaVersion: 1, name: 'old', epochs: 7 };
    const frozen = JSON.stringify(old);
    expect(migrateProject('old.json', old, chain, 3)).toEqual({
      project: { kind: 'strata-project', schemaVersion: 3, name: 'old', epochs: undefined, training: { epochs: 7 } },
      applied: ['AddTrainingSection', 'RenameEpochCount'],
    });
    expect(JSON.stringify(old)).toBe(frozen);
    expect(migrateProject('v3.json', { schemaVersion: 3 }, chain, 3)).toEqual({ project: { schemaVersion: 3 }, applied: [] });
  });

  it('refuses a newer version, a gap in the chain and a failing step, naming the file', () => {
    expect(() => migrateProject('new.json', { schemaVersion: 4 }, chain, 3)).toThrow(/new\.json was written by a newer Strata \(project version 4; this one reads up to 3\)/);
    expect(() => migrateProject('gap.json', { schemaVersion: 1 }, [chain[1]!], 3)).toThrow(/gap\.json is project version 2, and this Strata has no step from version 2 to 3/);
    const broken: ProjectMigration = { from: 1, to: 2, name: 'Broken', migrate: () => { throw new Error('no epochs'); } };
    expect(() => migrateProject('b.json', { schemaVersion: 1 }, [broken], 2)).toThrow(/b\.json could not be brought from project version 1 to 2 \(Broken\): no epochs/);
  });

  it('the shipped chain reaches PROJECT_VERSION from every older version', () => {
    for (let v = 1; v <= PROJECT_VERSION; v++) {
      expect(migrateProject(`v${v}.json`, { schemaVersion: v }, PROJECT_MIGRATIONS).project.schemaVersion).toBe(PROJECT_VERSION);
    }
  });

  it('reads and writes a current project unchanged', () => {
    const file = path.join(dir, 'round.strata.json');
    writeProjectFile(file, lenetProject());
    expect(readProjectFile(file)).toEqual(lenetProject());
  });
});
