import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectHandles, openStudio, screenshot } from './studio-harness.ts';

// A person builds a small ResNet block from the palette, mostly from the keyboard (search,
// Enter to stack a layer under the selection, typed parameters) and the mouse for the skip
// connection, then undoes and redoes it.
let work: string;
let studio: Awaited<ReturnType<typeof openStudio>>;
let page: Page;

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-e2e-resnet-'));
  studio = await openStudio(path.join(work, 'runs'));
  ({ page } = studio);
});

afterAll(async () => {
  await studio?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

/** Finds a kind with the palette search and adds it under the selection with Enter. */
async function stack(kind: string): Promise<void> {
  await page.getByTestId('palette-search').fill(kind);
  await page.getByTestId(`palette-item-${kind}`).focus();
  await page.keyboard.press('Enter');
}

async function setParam(key: string, value: string): Promise<void> {
  const field = page.getByTestId(`param-${key}`);
  if ((await field.evaluate((e) => e.tagName)) === 'SELECT') await field.selectOption(value);
  else {
    await field.fill(value);
    await field.press('Tab');
  }
}

const status = () => page.getByTestId('statusbar').innerText();

describe('building a small ResNet by hand', () => {
  it('stacks the layers from the keyboard and wires the skip connection with the mouse', async () => {
    await page.getByTestId('btn-empty-template').click();
    await page.getByTestId('template-blank').click();
    await page.getByTestId('node-input_1').click();
    await stack('Conv2D');
    await setParam('filters', '8');
    await setParam('padding', 'same');
    await stack('Conv2D');
    await setParam('filters', '8');
    await setParam('padding', 'same');
    await stack('Conv2D');
    await setParam('filters', '8');
    await setParam('padding', 'same');
    await setParam('activation', 'linear');
    await stack('Add');
    // Add has one input so far: an error on the node says so.
    await expect.poll(() => page.getByTestId('node-add_1').getAttribute('data-severity')).toBe('error');
    await connectHandles(page, 'conv2d_1', 'add_1');
    await expect.poll(() => page.getByTestId('node-add_1').getAttribute('data-severity')).toBe('ok');
    await page.getByTestId('edge-label-conv2d_1-add_1').waitFor({ state: 'visible' });
    await stack('Activation');
    await stack('GlobalAveragePooling2D');
    await stack('Dense');
    await setParam('units', '10');
    await setParam('activation', 'softmax');
    await expect.poll(status).toMatch(/8 layers/);
    expect(await status()).toMatch(/✓ valid/);
    expect(await page.getByTestId('edge-label-add_1-activation_1').innerText()).toBe('(28, 28, 8)');
    await page.getByTestId('btn-auto-layout').click();
    await screenshot(page, '16-resnet-by-hand');
  });

  it('undoes and redoes the skip connection', async () => {
    await page.getByTestId('edge-label-conv2d_1-add_1').waitFor({ state: 'visible' });
    // Undo step by step (layout, the Dense's settings, the layers after Add…) until the skip goes.
    let undos = 0;
    while ((await page.getByTestId('edge-label-conv2d_1-add_1').count()) > 0 && undos < 20) {
      await page.keyboard.press('Control+z');
      undos += 1;
    }
    expect(await page.getByTestId('edge-label-conv2d_1-add_1').count()).toBe(0);
    expect(await page.getByTestId('node-add_1').getAttribute('data-severity')).toBe('error');
    for (let i = 0; i < undos; i++) await page.keyboard.press('Control+Shift+z');
    await page.getByTestId('edge-label-conv2d_1-add_1').waitFor({ state: 'visible' });
    expect(await status()).toMatch(/8 layers[\s\S]*✓ valid/);
  });
});
