import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDigitFolder } from '../src-main/engine/testing/write-digit-folder.ts';
import { choosePath, openStudio, ROOT, screenshot } from './studio-harness.ts';

// The window opens what `strata new` wrote, saves it under another name, and refuses a
// file that is not a project without losing anything — in the real web host and Chromium.
let work: string;
let projectFile: string;
let copyFile: string;
let studio: Awaited<ReturnType<typeof openStudio>>;
let page: Page;
let errors: string[];

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-e2e-project-'));
  await writeDigitFolder(path.join(work, 'digits'), { perClass: 30, seed: 4 });
  projectFile = path.join(work, 'digits.strata.json');
  copyFile = path.join(work, 'copy.strata.json');
  const made = spawnSync(process.execPath, ['bin/strata.mjs', 'new', '--template', 'lenet', '--data', path.join(work, 'digits'), '--out', projectFile], {
    cwd: ROOT, encoding: 'utf8',
  });
  if (made.status !== 0) throw new Error(`strata new failed (${made.status}):\n${made.stdout}\n${made.stderr}`);
  studio = await openStudio(path.join(work, 'runs'));
  ({ page, errors } = studio);
});

afterAll(async () => {
  await studio?.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

/** Open… → type the path into the chooser → Open. */
async function openFile(file: string): Promise<void> {
  await page.getByTestId('btn-open-project').click();
  await choosePath(page, file);
}

const projectPath = () => page.getByTestId('project-path').getAttribute('data-path');
const isDirty = () => page.getByTestId('project-dirty').isVisible();
const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as {
  name: string; model: { config: { layers: unknown[] } }; data: { path: string; imageSize: number[]; channels: number }; training: { epochs: number; learningRate: number };
};

describe('project files in the window', () => {
  it('opens a project made by `strata new`: graph, data, and training settings', async () => {
    await expect.poll(() => page.getByTestId('project-path').innerText(), { timeout: 60_000 }).toMatch(/not saved/);
    expect(await page.getByTestId('btn-save-project').isDisabled()).toBe(true);
    await openFile(projectFile);
    await expect.poll(projectPath, { timeout: 30_000 }).toBe(projectFile);
    const status = await page.getByTestId('statusbar').innerText();
    expect(status).toMatch(/9 layers/);
    expect(status).toMatch(/61,706 trainable/);
    expect(await page.getByTestId('project-name').inputValue()).toBe('digits');
    await page.getByTestId('tab-data').click();
    await expect.poll(() => page.getByTestId('data-summary').innerText(), { timeout: 30_000 }).toMatch(/300 images in 10 classes/i);
    expect(await page.getByTestId('data-class-7').locator('img').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('data-input-ok').isVisible()).toBe(true);
    await page.getByTestId('tab-train').click();
    expect(await page.getByTestId('train-epochs').inputValue()).toBe('5');
    await expect.poll(() => page.getByTestId('btn-train').isEnabled()).toBe(true);
    expect(await isDirty()).toBe(false);
    await page.getByTestId('tab-data').click();
    await screenshot(page, '08-project-opened');
  });

  it('marks a change and saves it as a copy, with the data path relative to the copy', async () => {
    await page.getByTestId('tab-train').click();
    await page.getByTestId('train-epochs').fill('2');
    await expect.poll(isDirty).toBe(true);
    await page.getByTestId('btn-save-project-as').click();
    // The chooser opens in the project's folder, with the project's name as the file name.
    await expect.poll(() => page.getByTestId('path-input').inputValue()).toBe(work);
    expect(await page.getByTestId('path-file-name').inputValue()).toBe('digits.strata.json');
    await expect.poll(() => page.getByTestId('path-replace-warning').isVisible()).toBe(true);
    await page.getByTestId('path-file-name').fill('copy.strata.json');
    await screenshot(page, '09-project-save-as');
    await page.getByTestId('btn-path-choose').click();
    await expect.poll(projectPath, { timeout: 30_000 }).toBe(copyFile);
    await expect.poll(isDirty).toBe(false);
    const saved = readJson(copyFile);
    expect({ name: saved.name, layers: saved.model.config.layers.length, epochs: saved.training.epochs, data: saved.data.path, size: saved.data.imageSize, channels: saved.data.channels })
      .toEqual({ name: 'digits', layers: 9, epochs: 2, data: 'digits', size: [28, 28], channels: 1 });
    expect(path.resolve(path.dirname(copyFile), saved.data.path)).toBe(path.join(work, 'digits'));
    // The original file is untouched.
    expect(readJson(projectFile).training.epochs).toBe(5);
  });

  it('saves to the same file with Ctrl+S', async () => {
    await page.getByTestId('train-learning-rate').fill('0.01');
    await expect.poll(isDirty).toBe(true);
    await page.keyboard.press('Control+s');
    await expect.poll(isDirty, { timeout: 30_000 }).toBe(false);
    expect(readJson(copyFile).training).toMatchObject({ epochs: 2, learningRate: 0.01 });
    expect(await projectPath()).toBe(copyFile);
  });

  it('asks before another project replaces unsaved changes', async () => {
    // The Data tab may come forward when a scan finishes; go to Train explicitly.
    await page.getByTestId('tab-train').click();
    await page.getByTestId('train-epochs').fill('4');
    await expect.poll(isDirty).toBe(true);
    await openFile(projectFile);
    await expect.poll(() => page.getByTestId('confirm-discard').isVisible(), { timeout: 30_000 }).toBe(true);
    await page.getByTestId('btn-confirm-cancel').click();
    expect({ path: await projectPath(), epochs: await page.getByTestId('train-epochs').inputValue(), dirty: await isDirty() })
      .toEqual({ path: copyFile, epochs: '4', dirty: true });
  });

  it('refuses a file that is not a project, naming it, and keeps the window as it was', async () => {
    const png = path.join(work, 'digits', '3', '3-05.png');
    expect(fs.existsSync(png)).toBe(true);
    await openFile(png);
    await expect.poll(() => page.getByTestId('project-error').isVisible(), { timeout: 30_000 }).toBe(true);
    const message = await page.getByTestId('project-error').innerText();
    expect(message).toContain(png);
    expect(message).toMatch(/not a Strata project/);
    await screenshot(page, '10-project-error');
    await page.getByTestId('btn-project-error-ok').click();
    const status = await page.getByTestId('statusbar').innerText();
    expect(status).toMatch(/9 layers/);
    expect(status).toMatch(/61,706 trainable/);
    expect({ path: await projectPath(), epochs: await page.getByTestId('train-epochs').inputValue(), dirty: await isDirty() })
      .toEqual({ path: copyFile, epochs: '4', dirty: true });
  });

  it('opens over unsaved changes once the person agrees to discard them', async () => {
    await openFile(projectFile);
    await page.getByTestId('btn-confirm-discard').click();
    await expect.poll(projectPath, { timeout: 30_000 }).toBe(projectFile);
    expect({ epochs: await page.getByTestId('train-epochs').inputValue(), lr: await page.getByTestId('train-learning-rate').inputValue(), dirty: await isDirty() })
      .toEqual({ epochs: '5', lr: '0.001', dirty: false });
  });

  it('refuses a cut-short project file with the reason, changing neither the window nor the file', async () => {
    const broken = path.join(work, 'broken.strata.json');
    fs.writeFileSync(broken, fs.readFileSync(projectFile).subarray(0, 300));
    const before = fs.readFileSync(broken);
    await openFile(broken);
    await expect.poll(() => page.getByTestId('project-error').isVisible(), { timeout: 30_000 }).toBe(true);
    const message = await page.getByTestId('project-error-message').innerText();
    expect(message).toContain(broken);
    expect(message).toMatch(/is not valid JSON .*cut short/);
    await page.getByTestId('btn-project-error-ok').click();
    expect({ path: await projectPath(), dirty: await isDirty(), same: fs.readFileSync(broken).equals(before) }).toEqual({ path: projectFile, dirty: false, same: true });
  });

  it('saw no errors in the page', () => {
    expect(errors).toEqual([]);
  });
});
