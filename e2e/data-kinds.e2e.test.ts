import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDigitFolder } from '../src-main/engine/testing/write-digit-folder.ts';
import { choosePath, openStudio, screenshot } from './studio-harness.ts';

// A person with a CSV of measurements, a folder of texts and a folder of digits: each is
// read, its columns or classes shown, checked, and (for the table) trained, in Chromium.
let work: string;
let studio: Awaited<ReturnType<typeof openStudio>>;
let page: Page;
let errors: string[];

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-e2e-data-'));
  const rows = ['id,length,width,colour,species'];
  for (let i = 0; i < 160; i++) {
    const big = i % 2 === 0;
    rows.push(`${1000 + i},${((big ? 6 : 2) + (i % 7) * 0.15).toFixed(2)},${((big ? 3 : 1) + (i % 5) * 0.1).toFixed(2)},${['red', 'blue', 'white'][i % 3]},${big ? 'virginica' : 'setosa'}`);
  }
  rows.push('9999,5.0,2.0,red');
  fs.writeFileSync(path.join(work, 'flowers.csv'), rows.join('\n'));
  for (const [label, word] of [['spam', 'prize'], ['ham', 'meeting']] as const) {
    fs.mkdirSync(path.join(work, 'mail', label), { recursive: true });
    for (let i = 0; i < 20; i++) fs.writeFileSync(path.join(work, 'mail', label, `${i}.txt`), `hello ${word} number ${i}`);
  }
  const reviews = ['id,review,sentiment'];
  for (let i = 0; i < 30; i++) reviews.push(`${i},"${i % 2 ? 'a wonderful, moving film that I would happily watch again' : 'a dull and tiresome film that I could not finish at all'} (${i})",${i % 2 ? 'pos' : 'neg'}`);
  fs.writeFileSync(path.join(work, 'reviews.csv'), reviews.join('\n'));
  await writeDigitFolder(path.join(work, 'digits'), { perClass: 20, seed: 6 });
  studio = await openStudio(path.join(work, 'runs'));
  ({ page, errors } = studio);
});

afterAll(async () => {
  await studio?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

describe('datasets of every kind in the window', () => {
  it('reads a CSV: columns with types, the suggested target, roles, and a model sized for it', async () => {
    await expect.poll(() => page.getByTestId('engine-badge').innerText(), { timeout: 60_000 }).toMatch(/native TensorFlow/i);
    await page.getByTestId('btn-choose-data').click();
    await choosePath(page, path.join(work, 'flowers.csv'));
    await expect.poll(() => page.getByTestId('data-summary').textContent(), { timeout: 30_000 }).toBe('160 rows, 5 columns');
    expect(await page.getByTestId('data-role-species').inputValue()).toBe('target');
    expect(await page.getByTestId('data-column-colour').innerText()).toMatch(/categorical/);
    // The id column is a number that says nothing: mark it ignored.
    await page.getByTestId('data-role-id').selectOption('ignore');
    await expect.poll(() => page.getByTestId('data-skipped').locator('summary').innerText()).toBe('1 row skipped');
    // A template sized from the loaded table: 2 numbers + 3 colours in, 2 classes out
    // (once main has loaded the table with the new roles).
    await page.getByTestId('data-shape-pending').waitFor({ state: 'detached', timeout: 30_000 });
    await page.getByTestId('btn-new-template').click();
    await page.getByTestId('template-mlp').click();
    await expect.poll(() => page.getByTestId('data-input-ok').innerText(), { timeout: 30_000 }).toMatch(/matches the data \(5\)/);
    await page.getByTestId('btn-check-health').click();
    await expect.poll(() => page.getByTestId('health-summary').innerText(), { timeout: 30_000 })
      .toMatch(/^160 rows · 5 columns · target species \(classification, setosa ×80, virginica ×80\) · 0 duplicate row\(s\) · 1 skipped$/);
    // Give the panels room, as a person reading a table would.
    const splitter = await page.getByTestId('panel-splitter').boundingBox();
    await page.mouse.move(splitter!.x + 200, splitter!.y + 2);
    await page.mouse.down();
    await page.mouse.move(splitter!.x + 200, splitter!.y - 280, { steps: 5 });
    await page.mouse.up();
    await page.getByTestId('panel-data').evaluate((e) => e.scrollTo(0, 0));
    await screenshot(page, '20-table-data');
  });

  it('trains on the table and says what it trained on', async () => {
    await page.getByTestId('tab-train').click();
    await page.getByTestId('train-epochs').fill('3');
    // The schedule is drawn before training: 3 epochs of exponential decay from 0.001.
    await page.getByTestId('train-schedule').selectOption('exponential');
    await page.getByTestId('train-schedule-factor').selectOption('0.5');
    expect(await page.getByTestId('schedule-chart').getAttribute('data-points')).toBe('0.001000 0.0005000 0.0002500');
    await page.getByTestId('train-early-stop').check();
    await screenshot(page, '23-schedule');
    await page.getByTestId('btn-train').click();
    await expect.poll(() => page.getByTestId('train-status').getAttribute('data-status'), { timeout: 120_000 }).toBe('completed');
    expect(await page.getByTestId('train-data').innerText()).toMatch(/^data: \d+ rows for training, \d+ for validation \(in memory\)$/);
    await screenshot(page, '21-table-trained');
  });

  it('explains a row of the table run per column, and evaluates it', async () => {
    await page.getByTestId('tab-explain').click();
    await page.locator('[data-testid^="sample-"]').first().click();
    await expect.poll(() => page.getByTestId('feature-bars').locator('li').count(), { timeout: 60_000 }).toBeGreaterThan(1);
    const attributions = await page.getByTestId('feature-bars').locator('li').evaluateAll((lis) => lis.map((li) => Number(li.getAttribute('data-attribution'))));
    expect(attributions.every(Number.isFinite)).toBe(true);
    expect(attributions.some((a) => a !== 0)).toBe(true);
    await screenshot(page, '30-table-explained');
    await page.getByTestId('tab-evaluate').click();
    await page.getByTestId('btn-evaluate').click();
    await expect.poll(() => page.getByTestId('evaluation').getAttribute('data-task'), { timeout: 60_000 }).toBe('classification');
    await expect.poll(() => page.getByTestId('confusion-matrix').isVisible()).toBe(true);
    // Two classes: ROC and precision–recall curves, with their areas.
    expect(Number(await page.getByTestId('chart-roc').getAttribute('data-points'))).toBeGreaterThan(2);
    expect(Number(await page.getByTestId('chart-pr').getAttribute('data-points'))).toBeGreaterThan(2);
    expect(await page.getByTestId('chart-roc').innerText()).toMatch(/AUC (0|1)\.\d{3}/);
    expect(await page.getByTestId('chart-roc').locator('path.recharts-curve').count()).toBeGreaterThan(0);
    await screenshot(page, '31-binary-evaluation');
  });

  it('switches the CSV to a time series and back', async () => {
    await page.getByTestId('tab-data').click();
    await page.getByTestId('data-read-as').selectOption('timeseries');
    await expect.poll(() => page.getByTestId('data-window').isVisible()).toBe(true);
    await page.getByTestId('data-role-length').selectOption('target');
    await expect.poll(() => page.getByTestId('btn-set-input-shape').isVisible(), { timeout: 30_000 }).toBe(true); // (24 rows, features) ≠ (5)
    await page.getByTestId('data-read-as').selectOption('csv-table');
    await expect.poll(() => page.getByTestId('data-task').isVisible()).toBe(true);
  });

  it('reads a folder of texts per class', async () => {
    await page.getByTestId('btn-choose-data').click();
    await choosePath(page, path.join(work, 'mail'));
    await expect.poll(() => page.getByTestId('data-summary').textContent(), { timeout: 30_000 }).toBe('40 texts in 2 classes');
    expect(await page.getByTestId('data-seq').inputValue()).toBe('8');
  });

  it('trains an LSTM on the texts and explains one per token', async () => {
    await page.getByTestId('data-shape-pending').waitFor({ state: 'detached', timeout: 30_000 });
    await page.getByTestId('btn-new-template').click();
    await page.getByTestId('template-lstm-text').click();
    await expect.poll(() => page.getByTestId('data-input-ok').innerText(), { timeout: 30_000 }).toMatch(/matches the data/);
    await page.getByTestId('tab-train').click();
    await page.getByTestId('train-schedule').selectOption('constant');
    await page.getByTestId('train-early-stop').uncheck();
    await page.getByTestId('train-epochs').fill('6');
    await page.getByTestId('train-learning-rate').fill('0.01');
    await page.getByTestId('btn-train').click();
    await expect.poll(() => page.getByTestId('train-status').getAttribute('data-status'), { timeout: 120_000 }).toBe('completed');
    await page.getByTestId('tab-explain').click();
    await page.locator('[data-testid^="sample-"]').first().click();
    await expect.poll(() => page.getByTestId('token').count(), { timeout: 60_000 }).toBe(4); // "hello <word> number <i>"
    const tokens = await page.getByTestId('token').evaluateAll((spans) => spans.map((s) => ({ text: s.textContent, a: Number(s.getAttribute('data-attribution')) })));
    expect(tokens[0]!.text).toBe('hello');
    expect(tokens.every((t) => Number.isFinite(t.a))).toBe(true);
    await screenshot(page, '32-text-explained');
    await page.getByTestId('tab-data').click(); // where the next dataset is chosen
  });

  it('reads a CSV of reviews as texts, and back as a table', async () => {
    await page.getByTestId('btn-choose-data').click();
    await choosePath(page, path.join(work, 'reviews.csv'));
    await expect.poll(() => page.getByTestId('data-summary').textContent(), { timeout: 30_000 }).toBe('30 rows, 3 columns');
    expect(await page.getByTestId('data-column-review').innerText()).toMatch(/text/);
    await page.getByTestId('data-read-as').selectOption('text');
    await expect.poll(() => page.getByTestId('data-summary').textContent(), { timeout: 30_000 }).toBe('30 texts in 2 classes');
    await page.getByTestId('btn-read-as-table').click();
    await expect.poll(() => page.getByTestId('data-summary').textContent(), { timeout: 30_000 }).toBe('30 rows, 3 columns');
  });

  it('previews augmentation on digits: each image as loaded, then five augmented copies', async () => {
    await page.getByTestId('btn-choose-data').click();
    await choosePath(page, path.join(work, 'digits'));
    await expect.poll(() => page.getByTestId('data-summary').textContent(), { timeout: 30_000 }).toMatch(/200 images in 10 classes/);
    await page.getByTestId('data-test-split').selectOption('0.1');
    await page.getByTestId('aug-enabled').check();
    await page.getByTestId('aug-rotation').fill('30');
    await page.getByTestId('aug-translation').fill('0.1');
    await page.getByTestId('btn-aug-preview').click();
    await expect.poll(() => page.getByTestId('aug-grid').locator('img').count(), { timeout: 30_000 }).toBe(4 * 6);
    const sources = await page.getByTestId('aug-grid').locator('tr').first().locator('img').evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).src));
    expect(new Set(sources).size).toBe(6); // every augmented copy differs from the original and from each other
    await page.getByTestId('aug-grid').scrollIntoViewIfNeeded();
    await screenshot(page, '22-augmentation');
  });

  it('saw no errors in the page', () => {
    expect(errors).toEqual([]);
  });
});
