import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataHealthReportSchema } from '../../src-shared/contract/data-health.ts';
import { writeDigitFolder } from '../engine/testing/write-digit-folder.ts';
import { captureCli } from './capture-cli.ts';

let work: string;
const strata = captureCli;

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-inspect-data-'));
  await writeDigitFolder(path.join(work, 'clean'), { perClass: 12, seed: 3 });
  await writeDigitFolder(path.join(work, 'dirty'), { perClass: 12, seed: 3 });
  fs.copyFileSync(path.join(work, 'dirty', '3', '3-00.png'), path.join(work, 'dirty', '8', 'really-a-3.png'));
  fs.writeFileSync(path.join(work, 'dirty', '5', 'broken.png'), 'not a png');
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('strata inspect-data', () => {
  it('reports a clean folder with no errors, in words and as JSON', async () => {
    const human = await strata('inspect-data', path.join(work, 'clean'));
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/120 images in 10 classes/);
    expect(human.stdout).toMatch(/channels: grey ×120/);
    const json = await strata('inspect-data', path.join(work, 'clean'), '--json', '--validation-split', '0.25', '--seed', '9');
    const report = DataHealthReportSchema.parse(JSON.parse(json.stdout));
    expect(report).toMatchObject({ total: 120, imbalance: 1, split: { validationSplit: 0.25, seed: 9 }, duplicates: [], skipped: [] });
  });

  it('exits 1 and says what to do when one picture carries two labels, listing the skipped file', async () => {
    const { code, stdout } = await strata('inspect-data', path.join(work, 'dirty'));
    expect(code).toBe(1);
    expect(stdout).toContain('[error] The same picture is labelled as different classes: 3/3-00.png and 8/really-a-3.png');
    expect(stdout).toMatch(/3\/3-00\.png {2}= {2}8\/really-a-3\.png {3}\[different classes\]/);
    expect(stdout).toMatch(/5\/broken\.png: cannot be decoded/);
  });

  it('refuses a missing folder and a bad option clearly', async () => {
    const missing = await strata('inspect-data', path.join(work, 'nowhere'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(path.join(work, 'nowhere'));
    const bad = await strata('inspect-data', path.join(work, 'clean'), '--validation-split', '2');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--validation-split must be at most 0.5');
  });
});
