import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDigitFolder } from '../src-main/engine/testing/write-digit-folder.ts';
import { choosePath, connectHandles, openStudio, screenshot } from './studio-harness.ts';

// A new user's first session, in the real web host and Debian's Chromium: build LeNet by
// dragging from the palette, import a digits folder, train, look at saliency, export.
let work: string;
let studio: Awaited<ReturnType<typeof openStudio>>;
let page: Page;
let errors: string[];

const LENET: Array<[string, string, Record<string, string>]> = [
  ['Input', 'input_1', {}],
  ['Conv2D', 'conv2d_1', { filters: '6', 'kernel_size-0': '5', 'kernel_size-1': '5', padding: 'same' }],
  ['MaxPooling2D', 'max_pooling2d_1', {}],
  ['Conv2D', 'conv2d_2', { filters: '16', 'kernel_size-0': '5', 'kernel_size-1': '5' }],
  ['MaxPooling2D', 'max_pooling2d_2', {}],
  ['Flatten', 'flatten_1', {}],
  ['Dense', 'dense_1', { units: '120' }],
  ['Dense', 'dense_2', { units: '84' }],
  ['Dense', 'dense_3', { units: '10', activation: 'softmax' }],
];

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-e2e-'));
  await writeDigitFolder(path.join(work, 'digits'), { perClass: 150, seed: 4 });
  studio = await openStudio(path.join(work, 'runs'));
  ({ page, errors } = studio);
});

afterAll(async () => {
  await studio?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

async function setParam(key: string, value: string): Promise<void> {
  const field = page.getByTestId(`param-${key}`);
  if ((await field.evaluate((e) => e.tagName)) === 'SELECT') await field.selectOption(value);
  else await field.fill(value);
}

describe('the studio in a browser', () => {
  it('shows the native engine', async () => {
    await expect.poll(() => page.getByTestId('engine-badge').innerText(), { timeout: 60_000 }).toMatch(/native TensorFlow/i);
    await screenshot(page, '01-empty');
  });

  it('builds LeNet by dragging layers from the palette and wiring them', async () => {
    const canvas = page.getByTestId('canvas');
    for (const [i, [kind, name, params]] of LENET.entries()) {
      await page.getByTestId(`palette-item-${kind}`).dragTo(canvas, { targetPosition: { x: 140 + Math.floor(i / 5) * 420, y: 40 + (i % 5) * 90 } });
      await page.getByTestId(`node-${name}`).click();
      for (const [key, value] of Object.entries(params)) await setParam(key, value);
      if (i > 0) await connectHandles(page, LENET[i - 1]![1], name);
    }
    // Shapes flow along the edges and LeNet's parameter count comes out right.
    await expect.poll(() => page.getByTestId('edge-label-conv2d_1-max_pooling2d_1').innerText()).toBe('(28, 28, 6)');
    await expect.poll(() => page.getByTestId('edge-label-flatten_1-dense_1').innerText()).toBe('(400)');
    const status = await page.getByTestId('statusbar').innerText();
    expect(status).toMatch(/9 layers/);
    expect(status).toMatch(/61,706 trainable/);
    expect(status).toMatch(/valid/);
    await page.getByTestId('btn-auto-layout').click();
    await screenshot(page, '02-lenet-built');
  });

  it('marks a layer whose input does not fit, and says why', async () => {
    await page.getByTestId('node-input_1').click();
    await setParam('shape', '784');
    await expect.poll(() => page.getByTestId('node-conv2d_1').getAttribute('data-severity')).toBe('error');
    await expect.poll(() => page.getByTestId('node-issue-conv2d_1').innerText()).toMatch(/image-shaped input/i);
    await screenshot(page, '03-shape-error');
    await page.getByTestId('btn-undo').click();
    await expect.poll(() => page.getByTestId('node-conv2d_1').getAttribute('data-severity')).not.toBe('error');
  });

  it('imports a digits folder and sets the Input shape from it', async () => {
    await page.getByTestId('tab-data').click();
    await page.getByTestId('btn-choose-data').click();
    await choosePath(page, path.join(work, 'digits'));
    await expect.poll(() => page.getByTestId('data-summary').innerText(), { timeout: 30_000 }).toMatch(/1500 images in 10 classes/i);
    if (await page.getByTestId('btn-set-input-shape').isVisible()) await page.getByTestId('btn-set-input-shape').click();
    // The health check reads every image: 1,500 real digits, balanced, no identical files
    // (MNIST does hold a few near-identical strokes, which it lists for a look).
    await page.getByTestId('btn-check-health').click();
    await expect.poll(() => page.getByTestId('health-summary').innerText(), { timeout: 60_000 }).toMatch(/^1500 images · imbalance 1\.0× · 0 identical set\(s\) · \d+ near-identical pair\(s\) · \d+ leaking/);
    expect(await page.getByTestId('health-findings').innerText()).not.toMatch(/labelled as different classes/);
    await screenshot(page, '04-data');
  });

  it('trains one epoch with live curves and the backend shown', async () => {
    await page.getByTestId('tab-train').click();
    await page.getByTestId('train-epochs').fill('1');
    await page.getByTestId('btn-train').click();
    await expect.poll(() => page.getByTestId('train-backend').innerText(), { timeout: 60_000 }).toMatch(/native TensorFlow/);
    await expect.poll(() => page.getByTestId('train-execution').getAttribute('data-execution')).toBe('graph');
    expect(await page.getByTestId('train-execution').innerText()).toMatch(/one TensorFlow graph/);
    await expect.poll(() => page.getByTestId('train-status').getAttribute('data-status'), { timeout: 120_000 }).toBe('completed');
    // The loss chart drew a line from the streamed batches.
    expect(await page.getByTestId('chart-loss').locator('path.recharts-curve').count()).toBeGreaterThan(0);
    await screenshot(page, '05-trained');
  });

  it('explains a validation image with saliency and Grad-CAM', async () => {
    await page.getByTestId('tab-explain').click();
    await page.locator('[data-testid^="sample-"]').first().click();
    await expect(page.getByTestId('saliency-gradcam').locator('img').first().getAttribute('src', { timeout: 60_000 })).resolves.toMatch(/^data:image\/png;base64,/);
    await expect.poll(() => page.getByTestId('explain-predicted').innerText()).toMatch(/\d/);
    await expect.poll(() => page.getByTestId('saliency-vanilla').isVisible()).toBe(true);
    await screenshot(page, '06-explained');
  });

  it('exports the model as tfjs into a folder', async () => {
    const out = path.join(work, 'web-model');
    await page.getByTestId('tab-export').click();
    await page.getByTestId('export-path').fill(out);
    await page.getByTestId('btn-export').click();
    await expect.poll(() => page.getByTestId('export-files').innerText(), { timeout: 60_000 }).toMatch(/model\.json/);
    expect(fs.readdirSync(out).sort()).toEqual(['metadata.json', 'model.json', 'weights.bin']);
    await screenshot(page, '07-exported');
  });

  it('saw no errors in the page', () => {
    expect(errors).toEqual([]);
  });
});
