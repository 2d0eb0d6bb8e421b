import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDigitFolder } from '../src-main/engine/testing/write-digit-folder.ts';
import { choosePath, collectPageErrors, launchChromium, ROOT, screenshot, startServe } from './studio-harness.ts';

// SIGKILL while editing: the host dies with unsaved edits in the window. The next launch
// (a new `strata serve` on the same config folder) offers the autosaved edits; restoring
// brings them back as unsaved changes, and saving them deletes the backup.
let work: string;
let configDir: string;
let projectFile: string;
let browser: Browser;
let page: Page;
let errors: string[];
let serve: Awaited<ReturnType<typeof startServe>> | undefined;

const backupFiles = () => (fs.existsSync(path.join(configDir, 'backups')) ? fs.readdirSync(path.join(configDir, 'backups')).filter((n) => n.endsWith('.json')) : []);
const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as { name: string; model: { config: { layers: unknown[] } }; training: { epochs: number } };
const projectPath = () => page.getByTestId('project-path').getAttribute('data-path');
const isDirty = () => page.getByTestId('project-dirty').isVisible();

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-e2e-crash-'));
  configDir = path.join(work, 'config');
  await writeDigitFolder(path.join(work, 'digits'), { perClass: 10, seed: 7 });
  projectFile = path.join(work, 'digits.strata.json');
  const made = spawnSync(process.execPath, ['bin/strata.mjs', 'new', '--template', 'lenet', '--data', path.join(work, 'digits'), '--out', projectFile], { cwd: ROOT, encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`strata new failed (${made.status}):\n${made.stdout}\n${made.stderr}`);
  serve = await startServe(path.join(work, 'runs'), { STRATA_CONFIG_DIR: configDir });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  errors = collectPageErrors(page);
  await page.goto(serve.url);
});

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('crash recovery', () => {
  it('autosaves edits to a backup while the project file stays as it was', async () => {
    await expect.poll(() => page.getByTestId('project-path').innerText(), { timeout: 60_000 }).toMatch(/not saved/);
    expect(await page.getByTestId('backup-offer').count()).toBe(0);
    await page.getByTestId('btn-open-project').click();
    await choosePath(page, projectFile);
    await expect.poll(projectPath, { timeout: 30_000 }).toBe(projectFile);
    await page.getByTestId('project-name').fill('digits after the crash');
    await page.getByTestId('tab-train').click();
    await page.getByTestId('train-epochs').fill('3');
    await page.getByTestId('palette-search').fill('Dropout');
    await page.getByTestId('palette-item-Dropout').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('status-layers').innerText()).toBe('10 layers');
    await expect.poll(isDirty).toBe(true);
    // The backup on disk holds every edit (written a moment after the last one).
    await expect.poll(() => {
      const [file] = backupFiles();
      if (!file) return null;
      const backup = JSON.parse(fs.readFileSync(path.join(configDir, 'backups', file), 'utf8')) as { projectPath: string; project: ReturnType<typeof readJson> };
      return { path: backup.projectPath, name: backup.project.name, epochs: backup.project.training.epochs, layers: backup.project.model.config.layers.length };
    }, { timeout: 30_000 }).toEqual({ path: projectFile, name: 'digits after the crash', epochs: 3, layers: 10 });
    expect(readJson(projectFile)).toMatchObject({ name: 'digits', training: { epochs: 5 } });
  });

  it('after SIGKILL, the next launch offers the edits and restoring brings them back unsaved', async () => {
    await serve!.kill();
    serve = await startServe(path.join(work, 'runs'), { STRATA_CONFIG_DIR: configDir });
    const seen = errors.length; // the dead host's closed connection is not this window's error
    await page.goto(serve.url);
    await page.getByTestId('backup-offer').waitFor({ state: 'visible', timeout: 60_000 });
    const offer = await page.getByTestId('backup-offer-text').innerText();
    expect(offer).toContain('digits after the crash');
    expect(offer).toContain(projectFile);
    await screenshot(page, '33-backup-offer');
    await page.getByTestId('btn-backup-restore').click();
    await expect.poll(projectPath, { timeout: 30_000 }).toBe(projectFile);
    await page.getByTestId('tab-train').click();
    expect({
      name: await page.getByTestId('project-name').inputValue(), epochs: await page.getByTestId('train-epochs').inputValue(),
      layers: await page.getByTestId('status-layers').innerText(), dirty: await isDirty(), offer: await page.getByTestId('backup-offer').count(),
    }).toEqual({ name: 'digits after the crash', epochs: '3', layers: '10 layers', dirty: true, offer: 0 });
    expect(readJson(projectFile)).toMatchObject({ name: 'digits', training: { epochs: 5 } });
    errors.splice(0, seen);
  });

  it('saving the restored edits writes them to the file and deletes the backup', async () => {
    await page.keyboard.press('Control+s');
    await expect.poll(isDirty, { timeout: 30_000 }).toBe(false);
    const saved = readJson(projectFile);
    expect({ name: saved.name, epochs: saved.training.epochs, layers: saved.model.config.layers.length }).toEqual({ name: 'digits after the crash', epochs: 3, layers: 10 });
    await expect.poll(backupFiles, { timeout: 30_000 }).toEqual([]);
    // A new window has nothing to offer now, and lists the project under Recent.
    await page.goto(serve!.url);
    await expect.poll(() => page.getByTestId('project-path').innerText(), { timeout: 60_000 }).toMatch(/not saved/);
    expect(await page.getByTestId('backup-offer').count()).toBe(0);
    await page.getByTestId('btn-open-recent').click();
    await expect.poll(() => page.getByTestId('recent-project-0').getAttribute('data-path'), { timeout: 30_000 }).toBe(projectFile);
    await page.getByTestId('recent-project-0').click();
    await expect.poll(projectPath, { timeout: 30_000 }).toBe(projectFile);
    expect(await page.getByTestId('project-name').inputValue()).toBe('digits after the crash');
  });

  it('edits of a project never saved are offered too, and Discard deletes them', async () => {
    await page.goto(serve!.url);
    await expect.poll(() => page.getByTestId('project-path').innerText(), { timeout: 60_000 }).toMatch(/not saved/);
    await page.getByTestId('palette-search').fill('Input');
    await page.getByTestId('palette-item-Input').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('status-layers').innerText()).toBe('1 layers');
    await expect.poll(backupFiles, { timeout: 30_000 }).toEqual(['untitled.json']);
    await serve!.kill();
    serve = await startServe(path.join(work, 'runs'), { STRATA_CONFIG_DIR: configDir });
    const seen = errors.length;
    await page.goto(serve.url);
    await page.getByTestId('backup-offer').waitFor({ state: 'visible', timeout: 60_000 });
    expect(await page.getByTestId('backup-offer-text').innerText()).toMatch(/Untitled project \(a project never saved to a file\)/);
    await page.getByTestId('btn-backup-discard').click();
    await expect.poll(() => page.getByTestId('backup-offer').count()).toBe(0);
    expect(backupFiles()).toEqual([]);
    expect({ layers: await page.getByTestId('status-layers').innerText(), dirty: await isDirty() }).toEqual({ layers: '0 layers', dirty: false });
    errors.splice(0, seen);
  });

  it('saw no errors in the page', () => {
    expect(errors).toEqual([]);
  });
});
