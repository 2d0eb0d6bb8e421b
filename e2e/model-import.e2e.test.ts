import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { choosePath, ROOT, openStudio, screenshot } from './studio-harness.ts';

// Import model… in the window: a real Keras 3 model config becomes the graph; a broken
// file and one with a layer Strata lacks are refused by name, and nothing changes.
let work: string;
let studio: Awaited<ReturnType<typeof openStudio>>;
let page: Page;

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-e2e-import-'));
  studio = await openStudio(path.join(work, 'runs'));
  ({ page } = studio);
});

afterAll(async () => {
  await studio?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

async function importFile(file: string): Promise<void> {
  await page.getByTestId('btn-import-model').click();
  await choosePath(page, file);
}

const status = () => page.getByTestId('statusbar').innerText();

describe('Import model… in the window', () => {
  it("turns Keras' functional tiny ResNet config into the canvas graph", async () => {
    const file = path.join(work, 'tiny_resnet.json');
    fs.copyFileSync(path.join(ROOT, 'src-shared/spec/fixtures/keras3-functional-tiny-resnet.json'), file);
    await importFile(file);
    await expect.poll(status).toMatch(/10 layers/);
    expect(await status()).toMatch(/909 trainable\s+16 non-trainable/); // Keras counted 925 in all
    await page.getByTestId('edge-label-stem-skip').waitFor({ state: 'visible' });
    expect(await status()).toMatch(/✓ valid/);
    await screenshot(page, '17-imported-keras');
  });

  it('refuses a broken file and one with an unknown layer, naming them, and keeps the graph', async () => {
    const broken = path.join(work, 'broken.json');
    fs.writeFileSync(broken, '{"class_name": "Functional", "config": {');
    await importFile(broken);
    await page.getByTestId('project-error').waitFor({ state: 'visible' });
    expect(await page.getByTestId('project-error-message').innerText()).toContain(`${broken} is not JSON`);
    await page.getByTestId('btn-project-error-ok').click();

    const odd = path.join(work, 'odd.json');
    fs.writeFileSync(odd, JSON.stringify({ class_name: 'Sequential', config: { layers: [
      { class_name: 'InputLayer', config: { name: 'in', batch_shape: [null, 4] } },
      { class_name: 'GaussianNoise', config: { name: 'noise', stddev: 0.1 } },
    ] } }));
    await importFile(odd);
    await page.getByTestId('project-error').waitFor({ state: 'visible' });
    expect(await page.getByTestId('project-error-message').innerText()).toContain('noise (GaussianNoise)');
    await page.getByTestId('btn-project-error-ok').click();
    expect(await status()).toMatch(/10 layers/); // the imported model is still there
  });
});
