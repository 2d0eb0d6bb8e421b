import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStudio, screenshot } from './studio-harness.ts';

// Editing like a pro tool, in the real web host and Debian's Chromium: keyboard copy,
// paste, duplicate, undo/redo, the shortcuts overlay and a one-click fix-it.
let work: string;
let studio: Awaited<ReturnType<typeof openStudio>>;
let page: Page;

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-e2e-edit-'));
  studio = await openStudio(path.join(work, 'runs'));
  ({ page } = studio);
});

afterAll(async () => {
  await studio?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

const layerCount = async () => Number((await page.getByTestId('status-layers').innerText()).match(/\d+/)![0]);

/**
 * Selects a layer by clicking its node until the inspector shows it: the view can still be
 * moving (the 'f' fit animation, a re-layout after paste or redo), and a click then lands
 * beside the node — a loaded CI box missed such a click more than once.
 */
async function selectNode(name: string): Promise<void> {
  await expect.poll(async () => {
    await page.getByTestId(`node-${name}`).click();
    return page.getByTestId('param-name').inputValue({ timeout: 1000 }).catch(() => null);
  }, { timeout: 30_000 }).toBe(name);
}

describe('editing on the canvas', () => {
  it('starts from the LeNet template', async () => {
    await page.getByTestId('btn-empty-template').click();
    await page.getByTestId('template-lenet').click();
    await expect.poll(layerCount).toBe(9);
  });

  it('copies and pastes a selection with its inner connection, and undo takes the paste back', async () => {
    await page.getByTestId('node-conv2d_2').click();
    await page.getByTestId('node-max_pooling2d_2').click({ modifiers: ['Shift'] });
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await expect.poll(layerCount).toBe(11);
    await page.getByTestId('node-conv2d_3').waitFor({ state: 'visible' });
    // The edge between the two copies came along; the one from outside did not.
    await page.getByTestId('edge-label-conv2d_3-max_pooling2d_3').waitFor({ state: 'visible' });
    await screenshot(page, '11-pasted');
    await page.keyboard.press('Control+z');
    await expect.poll(layerCount).toBe(9);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(layerCount).toBe(11);
  });

  it('duplicates with Ctrl+D and selects every layer with Ctrl+A', async () => {
    await selectNode('dense_1'); // duplicate only once it is selected
    await page.keyboard.press('Control+d');
    await expect.poll(layerCount).toBe(12);
    await page.keyboard.press('Control+a');
    await expect.poll(() => page.getByTestId('inspector').innerText()).toMatch(/12 layers selected/i);
  });

  it('shows every shortcut in the help overlay', async () => {
    await page.getByTestId('canvas').click({ position: { x: 20, y: 20 } });
    await page.keyboard.press('?');
    const help = page.getByTestId('shortcuts-help');
    await help.waitFor({ state: 'visible' });
    expect(await help.innerText()).toMatch(/Ctrl\+D[\s\S]*duplicate/);
    await screenshot(page, '12-shortcuts');
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });
  });

  it('applies a fix-it in one click', async () => {
    await page.keyboard.press('f');
    // The pasted copies start unconnected, so they have errors of their own already.
    const before = await page.getByTestId('status-errors').getAttribute('data-count');
    await selectNode('input_1'); // right after 'f', whose fit animation moves the node
    await page.getByTestId('param-shape').fill('784');
    await expect.poll(() => page.getByTestId('node-conv2d_1').getAttribute('data-severity')).toBe('error');
    await page.getByTestId('node-conv2d_1').click();
    const fix = page.getByTestId('btn-fix-conv2d_1');
    expect(await fix.innerText()).toMatch(/Reshape/);
    await fix.click();
    await expect.poll(() => page.getByTestId('node-conv2d_1').getAttribute('data-severity')).not.toBe('error');
    await expect.poll(() => page.getByTestId('status-errors').getAttribute('data-count')).toBe(before);
    await screenshot(page, '13-fixed');
  });

  it('makes a block of two layers, shows it collapsed with its shapes, reuses it from the palette and expands it', async () => {
    const before = await layerCount();
    await page.getByTestId('node-conv2d_2').click();
    await page.getByTestId('node-max_pooling2d_2').click({ modifiers: ['Shift'] });
    await page.getByTestId('block-name').fill('conv_pool');
    await page.getByTestId('btn-make-block').click();
    await expect.poll(layerCount).toBe(before - 1);
    const block = page.getByTestId('node-conv_pool_1');
    await block.waitFor({ state: 'visible' });
    expect(await page.getByTestId('node-shape-conv_pool_1').innerText()).toBe('(14, 14, 6) → (5, 5, 16)');
    expect(await page.getByTestId('block-summary').innerText()).toMatch(/Conv2D → MaxPooling2D/);
    await page.getByTestId('palette-block-conv_pool').waitFor({ state: 'visible' });
    await screenshot(page, '14-block');
    await page.getByTestId('btn-expand-block').click();
    await expect.poll(layerCount).toBe(before);
    await page.getByTestId('node-conv_pool_1__conv2d_2').waitFor({ state: 'visible' });
    await page.keyboard.press('Control+z');
    await expect.poll(layerCount).toBe(before - 1);
  });

  it('saves a block to the user library, which offers it to the next project too', async () => {
    // The block sits below the fold of this tall model, partly under the copies pasted
    // earlier: zoom out, then click its uncovered top-left corner.
    for (let i = 0; i < 3; i++) await page.locator('.react-flow__controls-zoomout').click();
    await page.getByTestId('node-conv_pool_1').click({ position: { x: 4, y: 4 } });
    await page.getByTestId('btn-save-block').click();
    await expect.poll(() => page.getByTestId('block-saved').innerText()).toMatch(/Saved to your library \(.*blocks\.json\)/);
    await page.getByTestId('palette-library-conv_pool').waitFor({ state: 'visible' });
    const library = JSON.parse(fs.readFileSync(path.join(work, 'config', 'blocks.json'), 'utf8')) as { blocks: Record<string, { layers: Array<{ class_name: string }> }> };
    expect(library.blocks.conv_pool!.layers.map((l) => l.class_name)).toEqual(['Conv2D', 'MaxPooling2D']);
    // A fresh model: the library block goes in by double-click, its definition copied into the project.
    await page.getByTestId('btn-new-template').click();
    await page.getByTestId('template-blank').click();
    await expect.poll(layerCount).toBe(1);
    await page.getByTestId('palette-library-conv_pool').dblclick();
    await expect.poll(layerCount).toBe(2);
    await page.getByTestId('palette-block-conv_pool').waitFor({ state: 'visible' });
  });
});
