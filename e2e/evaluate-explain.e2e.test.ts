import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDigitFolder } from '../src-main/engine/testing/write-digit-folder.ts';
import { choosePath, openStudio, resizePanels, screenshot } from './studio-harness.ts';

// Train LeNet on digits with live saliency at every epoch, then evaluate the run (click
// into the confusion matrix) and explain a sample with all five methods and a sanity check.
let work: string;
let studio: Awaited<ReturnType<typeof openStudio>>;
let page: Page;
let errors: string[];

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-e2e-eval-'));
  await writeDigitFolder(path.join(work, 'digits'), { perClass: 50, seed: 8 });
  studio = await openStudio(path.join(work, 'runs'));
  ({ page, errors } = studio);
});
afterAll(async () => {
  await studio?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

function runRecord(): { runId: string; lastEpoch: { val_acc: number }; training: { liveSaliency: { probes: string[] } } } {
  const runs = path.join(work, 'runs');
  const [id] = fs.readdirSync(runs).filter((d) => fs.existsSync(path.join(runs, d, 'run.json')));
  return JSON.parse(fs.readFileSync(path.join(runs, id!, 'run.json'), 'utf8'));
}

describe('evaluating and explaining a run', () => {
  it('shows how attention formed while training: a map of each probe at every epoch', async () => {
    await expect.poll(() => page.getByTestId('engine-badge').innerText(), { timeout: 60_000 }).toMatch(/native TensorFlow/i);
    await page.getByTestId('btn-new-template').click();
    await page.getByTestId('template-lenet').click();
    await page.getByTestId('tab-data').click();
    await page.getByTestId('btn-choose-data').click();
    await choosePath(page, path.join(work, 'digits'));
    await expect.poll(() => page.getByTestId('data-summary').textContent(), { timeout: 30_000 }).toMatch(/500 images in 10 classes/);
    await page.getByTestId('tab-train').click();
    await page.getByTestId('train-epochs').fill('4');
    expect(await page.getByTestId('train-live-saliency').isChecked()).toBe(true); // on by default
    await page.getByTestId('train-saliency-budget').selectOption('1');
    await page.getByTestId('btn-train').click();
    await expect.poll(() => page.getByTestId('train-status').getAttribute('data-status'), { timeout: 120_000 }).toBe('completed');
    await expect.poll(() => page.getByTestId('saliency-timeline').getAttribute('data-epochs')).toBe('1,2,3,4');
    expect(await page.getByTestId('saliency-probe').count()).toBe(4);
    expect(await page.getByTestId('saliency-epoch').innerText()).toBe('4');
    // Back to the first epoch with the slider, and the gradient map instead of Grad-CAM.
    await page.getByTestId('saliency-slider').fill('0');
    expect(await page.getByTestId('saliency-epoch').innerText()).toBe('1');
    const camAt1 = await page.getByTestId('saliency-probe').first().locator('img').getAttribute('src');
    await page.getByTestId('saliency-method').selectOption('vanilla');
    expect(await page.getByTestId('saliency-probe').first().locator('img').getAttribute('src')).not.toBe(camAt1);
    expect(await page.getByTestId('saliency-cost').innerText()).toMatch(/% of training time \(budget 100 %\) · 4 epochs/);
    await screenshot(page, '27-live-saliency');
  });

  it('evaluates the run: its accuracy, a confusion matrix whose cells open their examples with a map beside each', async () => {
    await resizePanels(page, 620); // a closer look: the matrix and its examples
    await page.getByTestId('tab-evaluate').click();
    await page.getByTestId('btn-evaluate').click();
    await expect.poll(() => page.getByTestId('eval-accuracy').getAttribute('data-value'), { timeout: 60_000 }).not.toBeNull();
    const accuracy = Number(await page.getByTestId('eval-accuracy').getAttribute('data-value'));
    expect(accuracy).toBeCloseTo(runRecord().lastEpoch.val_acc, 5); // the same split and weights as training's last validation
    const counts = await page.locator('[data-testid^="cm-cell-"]').evaluateAll((cells) => cells.map((c) => ({ id: c.getAttribute('data-testid')!, n: Number(c.getAttribute('data-count')) })));
    expect(counts).toHaveLength(100);
    const total = counts.reduce((a, c) => a + c.n, 0);
    expect(await page.getByTestId('evaluation-source').innerText()).toMatch(new RegExp(`${total}`));
    // A mistake if there is one, else the biggest cell.
    const mistakes = counts.filter((c) => { const [, , a, p] = c.id.split('-'); return a !== p && c.n > 0; });
    const cell = (mistakes[0] ?? counts.sort((x, y) => y.n - x.n)[0])!;
    await page.getByTestId(cell.id).click();
    await expect.poll(() => page.locator('li[data-testid^="eval-example-"]').count(), { timeout: 30_000 }).toBe(cell.n);
    await expect.poll(() => page.getByTestId('eval-example-map').count(), { timeout: 60_000 }).toBe(cell.n);
    await screenshot(page, '28-evaluate');
  });

  it('explains a sample with all five methods side by side, checks one against a randomised model, and pins it as a probe', async () => {
    await page.getByTestId('tab-explain').click();
    await page.locator('[data-testid^="sample-"]').first().click();
    for (const m of ['vanilla', 'smoothgrad', 'integrated-gradients', 'gradcam', 'occlusion']) {
      await expect.poll(() => page.getByTestId(`saliency-${m}`).locator('img.saliency-overlay').getAttribute('src'), { timeout: 60_000 }).toMatch(/^data:image\/png;base64,/);
      expect(await page.getByTestId(`saliency-ms-${m}`).innerText()).toMatch(/\d+(\.\d)? ms/);
    }
    await page.getByTestId('btn-check-gradcam').click();
    await expect.poll(() => page.getByTestId('sanity-gradcam').getAttribute('data-passed'), { timeout: 60_000 }).not.toBeNull();
    expect(await page.getByTestId('sanity-gradcam').innerText()).toMatch(/ρ = -?\d\.\d\d vs random weights/);
    // Fewer methods, other settings: the maps are recomputed with them.
    await page.getByTestId('method-occlusion').uncheck();
    await page.getByTestId('opt-ig-steps').fill('8');
    await page.getByTestId('btn-explain-again').click();
    await expect.poll(() => page.getByTestId('saliency-occlusion').count(), { timeout: 60_000 }).toBe(0);
    await page.getByTestId('btn-pin-probe').click();
    await expect.poll(() => page.getByTestId('btn-pin-probe').innerText()).toMatch(/pinned/);
    await screenshot(page, '29-explain-five-methods');
    await page.getByTestId('tab-train').click();
    expect(await page.getByTestId('train-probes').innerText()).toMatch(/1 pinned probe/);
  });

  it('saw no errors in the page', () => {
    expect(errors).toEqual([]);
  });
});
