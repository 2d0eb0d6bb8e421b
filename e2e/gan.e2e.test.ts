import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDigitFolder } from '../src-main/engine/testing/write-digit-folder.ts';
import { choosePath, openStudio, resizePanels, saveInChooser, screenshot } from './studio-harness.ts';

// A GAN project in the window, as the user has it: the DCGAN template on a folder
// of real digits, its checks (broken and fixed), two epochs with live curves and the sample
// timeline, the generator exported to ONNX with its parity check, and the project saved
// and opened again with its run.
let work: string;
let studio: Awaited<ReturnType<typeof openStudio>>;
let page: Page;
let errors: string[];

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-e2e-gan-'));
  await writeDigitFolder(path.join(work, 'digits'), { perClass: 30, seed: 4 });
  // A GAN's usual data: one folder of images of one kind, no class sub-folders, no labels.
  await writeDigitFolder(path.join(work, 'sevens-src'), { perClass: 64, seed: 9, digits: [7] });
  fs.renameSync(path.join(work, 'sevens-src', '7'), path.join(work, 'sevens'));
  studio = await openStudio(path.join(work, 'runs'));
  ({ page, errors } = studio);
});

afterAll(async () => {
  await studio?.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

const checkErrors = () => page.getByTestId('gan-checks').getAttribute('data-errors');

async function setImageSize(size: number): Promise<void> {
  await page.getByTestId('tab-data').click();
  await page.getByTestId('data-height').fill(String(size));
  await page.getByTestId('data-width').fill(String(size));
  await page.getByTestId('tab-train').click();
}

describe('a GAN project in the window', () => {
  it('makes a GAN project from the DCGAN template: two valid networks on one canvas', async () => {
    await page.getByTestId('btn-new-template').click();
    await page.getByTestId('template-gan-dcgan').click();
    await expect.poll(() => page.getByTestId('statusbar').innerText(), { timeout: 30_000 }).toMatch(/19 layers/);
    expect(await page.getByTestId('status-errors').getAttribute('data-count')).toBe('0');
    expect(await page.getByTestId('node-shape-gen_conv2d_transpose_3').innerText()).toMatch(/\(28, 28, 1\)/);

    await page.getByTestId('tab-data').click();
    await page.getByTestId('btn-choose-data').click();
    await choosePath(page, path.join(work, 'digits'));
    await expect.poll(() => page.getByTestId('data-summary').innerText(), { timeout: 30_000 }).toMatch(/The GAN will learn from 300 images/i);
    expect(await page.getByTestId('data-gan-note').isVisible()).toBe(true);
    expect(await page.getByTestId('status-errors').getAttribute('data-count')).toBe('0');
  });

  it('checks the networks against the data, names the layer at fault and selects it', async () => {
    await page.getByTestId('tab-train').click();
    await page.getByTestId('gan-epochs').fill('2');
    await page.getByTestId('gan-batch-size').fill('32');
    await page.getByTestId('gan-samples-per-epoch').fill('128');
    await expect.poll(checkErrors).toBe('0');
    expect(await page.getByTestId('gan-checks').innerText()).toMatch(/100 random numbers into \(28, 28, 1\) images/);
    expect(await page.getByTestId('btn-gan-train').isEnabled()).toBe(true);

    // 32×32 images: the generator still makes 28×28 ones and the discriminator takes 28×28.
    await setImageSize(32);
    await expect.poll(checkErrors).toBe('2');
    expect(await page.getByTestId('gan-check').first().innerText()).toMatch(/generator makes \(28, 28, 1\) images but the dataset's images are \(32, 32, 1\)/);
    expect(await page.getByTestId('btn-gan-train').isDisabled()).toBe(true);
    expect(await page.getByTestId('gan-train-disabled-reason').innerText()).toMatch(/Fix the 2 problems/);
    await page.getByTestId('gan-check-layer-disc_input_1').click();
    await expect.poll(() => page.getByTestId('node-disc_input_1').getAttribute('class')).toMatch(/is-selected/);
    await setImageSize(28);
    await expect.poll(checkErrors).toBe('0');

    // The noise size is the generator's Input: one edit on the canvas, one undo step.
    await page.getByTestId('gan-noise-size').fill('64');
    await page.getByTestId('gan-noise-size').press('Enter');
    await expect.poll(() => page.getByTestId('node-shape-gen_input_1').innerText()).toMatch(/\(64\)/);
    expect(await page.getByTestId('gan-checks').innerText()).toMatch(/64 random numbers/);
    await page.getByTestId('btn-undo').click();
    await expect.poll(() => page.getByTestId('node-shape-gen_input_1').innerText()).toMatch(/\(100\)/);
    expect(await page.getByTestId('gan-noise-size').inputValue()).toBe('100');
    await screenshot(page, '40-gan-canvas');
  });

  it('trains both networks, with live curves and a sample timeline of two epochs', async () => {
    await page.getByTestId('btn-gan-train').click();
    await expect.poll(() => page.getByTestId('gan-status').getAttribute('data-status').catch(() => null), { timeout: 300_000, interval: 1000 }).toBe('completed');
    expect(await page.getByTestId('chart-gan-loss').getAttribute('data-epoch-count')).toBe('2');
    expect(Number(await page.getByTestId('chart-gan-loss').getAttribute('data-batch-count'))).toBeGreaterThan(0);
    expect(await page.getByTestId('chart-gan-acc').getAttribute('data-epoch-count')).toBe('2');
    // recharts drew the lines (not only the frame): 4 loss curves, 2 accuracy curves.
    expect(await page.getByTestId('chart-gan-loss').locator('.recharts-line-curve').count()).toBe(4);
    expect(await page.getByTestId('chart-gan-acc').locator('.recharts-line-curve').count()).toBe(2);

    const timeline = page.getByTestId('gan-timeline');
    expect(await timeline.getAttribute('data-epochs')).toBe('1,2');
    expect(await page.getByTestId('gan-timeline-epoch').innerText()).toBe('2');
    const last = await page.getByTestId('gan-timeline-image').getAttribute('src');
    await page.getByTestId('gan-timeline-slider').fill('0');
    await expect.poll(() => page.getByTestId('gan-timeline-epoch').innerText()).toBe('1');
    const first = await page.getByTestId('gan-timeline-image').getAttribute('src');
    expect(first).toMatch(/^data:image\/png;base64,/);
    expect(first).not.toBe(last);
    await resizePanels(page, 560);
    await screenshot(page, '41-gan-training');
  });

  it('exports the generator to ONNX with its parity check passed, and writes generated images', async () => {
    await page.getByTestId('gan-export-format').selectOption('onnx');
    await page.getByTestId('gan-export-path').fill(path.join(work, 'generator.onnx'));
    await page.getByTestId('btn-gan-export').click();
    await page.getByTestId('gan-export-result').or(page.getByTestId('gan-export-error')).waitFor({ state: 'visible', timeout: 180_000 });
    if (await page.getByTestId('gan-export-error').isVisible()) throw new Error(await page.getByTestId('gan-export-error').innerText());
    expect(await page.getByTestId('gan-export-parity').getAttribute('data-passed')).toBe('true');
    expect(fs.existsSync(path.join(work, 'generator.onnx'))).toBe(true);

    await page.getByTestId('gan-generate-count').fill('5');
    await page.getByTestId('gan-generate-path').fill(path.join(work, 'generated'));
    await page.getByTestId('btn-gan-generate').click();
    await page.getByTestId('gan-generate-result').or(page.getByTestId('gan-generate-error')).waitFor({ state: 'visible', timeout: 120_000 });
    if (await page.getByTestId('gan-generate-error').isVisible()) throw new Error(await page.getByTestId('gan-generate-error').innerText());
    expect(await page.getByTestId('gan-generate-result').innerText()).toMatch(/Wrote 5 images from the generator of epoch 2/);
    expect(fs.readdirSync(path.join(work, 'generated')).filter((f) => f.endsWith('.png'))).toHaveLength(5);
    await screenshot(page, '42-gan-export');
  });

  it('saves the GAN project and opens it again, still a GAN project with its run', async () => {
    const file = path.join(work, 'digits-gan.strata.json');
    await page.getByTestId('btn-save-project-as').click();
    await saveInChooser(page, work, 'digits-gan.strata.json');
    await expect.poll(() => page.getByTestId('project-path').getAttribute('data-path'), { timeout: 30_000 }).toBe(file);
    const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as { gan: { training: { epochs: number; batchSize: number; samplesPerEpoch: number } } | null; model: { config: { layers: unknown[] } } };
    expect({ gan: saved.gan?.training, layers: saved.model.config.layers.length }).toMatchObject({ gan: { epochs: 2, batchSize: 32, samplesPerEpoch: 128 }, layers: 19 });

    // A classifier template makes it a classifier project; opening the file brings the GAN back.
    await page.getByTestId('btn-new-template').click();
    await page.getByTestId('template-lenet').click();
    await page.getByTestId('tab-train').click();
    await expect.poll(() => page.getByTestId('btn-train').isVisible()).toBe(true);
    await page.getByTestId('btn-open-project').click();
    await choosePath(page, file);
    await page.getByTestId('btn-confirm-discard').click();
    await expect.poll(() => page.getByTestId('statusbar').innerText(), { timeout: 30_000 }).toMatch(/19 layers/);
    await page.getByTestId('tab-train').click();
    expect(await page.getByTestId('gan-epochs').inputValue()).toBe('2');
    await expect.poll(() => page.getByTestId('gan-runs').getAttribute('data-count'), { timeout: 30_000 }).toBe('1');
    await page.getByTestId('btn-gan-open-run').click();
    await expect.poll(() => page.getByTestId('gan-timeline').getAttribute('data-epochs'), { timeout: 30_000 }).toBe('1,2');
    await expect.poll(() => page.getByTestId('gan-status').getAttribute('data-status')).toBe('completed');
    expect(await page.getByTestId('gan-run-label').isVisible()).toBe(true);
    await page.getByTestId('tab-export').click();
    expect(await page.getByTestId('export-gan-note').innerText()).toMatch(/for classifier projects/);
    await page.getByTestId('tab-train').click();
    await screenshot(page, '43-gan-reopened');
  });

  it('trains on a flat folder of images (no classes, no labels), which the Data tab accepts for a GAN only', async () => {
    await page.getByTestId('tab-data').click();
    await page.getByTestId('btn-choose-data').click();
    await choosePath(page, path.join(work, 'sevens'));
    await expect.poll(() => page.getByTestId('data-summary').innerText(), { timeout: 30_000 }).toMatch(/The GAN will learn from 64 images/i);
    expect(await page.getByTestId('data-error').count()).toBe(0);
    // What a GAN ignores is not offered: no split, no storage choice, no augmentation; a note says why.
    await expect.poll(() => page.getByTestId('data-gan-settings-note').innerText()).toMatch(/no validation split, no augmentation/);
    expect(await page.getByTestId('data-split').count()).toBe(0);
    expect(await page.getByTestId('data-storage').count()).toBe(0);
    await screenshot(page, '44-gan-data');
    // The health check speaks of what a GAN cares about: no labels, no split, no imbalance.
    expect(await page.getByTestId('health-blurb').innerText()).toMatch(/Reads every image once/);
    await page.getByTestId('btn-check-health').click();
    await page.getByTestId('health-findings').waitFor({ state: 'visible', timeout: 30_000 });
    expect(await page.getByTestId('health-findings').locator('[data-severity="error"]').count()).toBe(0);
    expect(await page.getByTestId('health-summary').innerText()).toMatch(/^64 images · \d+ identical set\(s\) · \d+ near-identical pair\(s\) · 0 skipped$/);

    await page.getByTestId('tab-train').click();
    await page.getByTestId('gan-epochs').fill('1');
    await page.getByTestId('gan-samples-per-epoch').fill('64');
    await expect.poll(checkErrors).toBe('0');
    await page.getByTestId('btn-gan-train').click();
    await expect.poll(() => page.getByTestId('gan-status').getAttribute('data-status').catch(() => null), { timeout: 300_000, interval: 1000 }).toBe('completed');
    expect(await page.getByTestId('gan-timeline').getAttribute('data-epochs')).toBe('1');

    // A classifier cannot learn from one unlabelled folder: as a classifier project the folder is refused, as before.
    await page.getByTestId('btn-new-template').click();
    await page.getByTestId('template-lenet').click();
    await page.getByTestId('tab-data').click();
    await expect.poll(() => page.getByTestId('data-error').innerText().catch(() => ''), { timeout: 30_000 }).toMatch(/has no class sub-folders/);
    // Undo makes it the GAN project again, and the folder is read as the GAN reads it.
    await page.getByTestId('btn-undo').click();
    await expect.poll(() => page.getByTestId('data-error').count(), { timeout: 30_000 }).toBe(0);
    expect(await page.getByTestId('data-summary').innerText()).toMatch(/The GAN will learn from 64 images/i);
  });

  it('saw no errors in the page', () => {
    expect(errors).toEqual([]);
  });
});
