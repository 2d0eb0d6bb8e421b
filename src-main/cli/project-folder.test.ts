import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDigitFolder } from '../engine/testing/write-digit-folder.ts';
import { captureCli } from './capture-cli.ts';

// A project can be a folder holding project.strata.json: the CLI takes the folder where it
// takes a project file, and the folder keeps its runs inside it.
let work: string;
beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-project-folder-'));
  await writeDigitFolder(path.join(work, 'digits'), { perClass: 6, seed: 4 });
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('a project folder on the command line', () => {
  it('trains, lists runs and inspects given the folder, with runs/ inside it', async () => {
    const folder = path.join(work, 'my-project');
    fs.mkdirSync(folder);
    const created = await captureCli('new', '--template', 'mlp', '--data', path.join(work, 'digits'), '--out', path.join(folder, 'project.strata.json'));
    expect(created.code, created.stderr).toBe(0);

    expect((await captureCli('inspect', folder)).code).toBe(0);
    const trained = await captureCli('train', folder, '--epochs', '1', '--json');
    expect(trained.code, trained.stderr).toBe(0);
    const end = JSON.parse(trained.stdout.trim().split('\n').at(-1)!) as { type: string; runDir: string };
    expect(end.type).toBe('end');
    expect(path.dirname(end.runDir)).toBe(path.join(folder, 'runs'));

    const runs = await captureCli('runs', folder, '--json');
    expect(runs.code).toBe(0);
    expect((JSON.parse(runs.stdout) as Array<{ runDir: string }>).map((r) => r.runDir)).toEqual([end.runDir]);
  }, 120_000);

  it('refuses a folder without project.strata.json, saying what a project folder is', async () => {
    const empty = path.join(work, 'empty');
    fs.mkdirSync(empty);
    const r = await captureCli('train', empty, '--epochs', '1');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/without project\.strata\.json/);
  });
});
