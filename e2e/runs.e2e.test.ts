import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDigitFolder } from '../src-main/engine/testing/write-digit-folder.ts';
import { choosePath, openStudio, saveInChooser, screenshot } from './studio-harness.ts';

// Two runs that differ in their learning rate, paused and resumed on the way, then compared
// in the Runs tab: overlaid curves, the settings that differ, a name and a note.
let work: string;
let studio: Awaited<ReturnType<typeof openStudio>>;
let page: Page;
let errors: string[];

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-e2e-runs-'));
  await writeDigitFolder(path.join(work, 'digits'), { perClass: 60, seed: 3 });
  studio = await openStudio(path.join(work, 'runs'));
  ({ page, errors } = studio);
});
afterAll(async () => {
  await studio?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

async function trainOnce(learningRate: string, pauseOnTheWay: boolean): Promise<void> {
  await page.getByTestId('tab-train').click();
  await page.getByTestId('train-learning-rate').fill(learningRate);
  await page.getByTestId('btn-train').click();
  if (pauseOnTheWay) {
    await expect.poll(() => page.getByTestId('btn-pause').isEnabled(), { timeout: 60_000 }).toBe(true);
    await page.getByTestId('btn-pause').click();
    await expect.poll(() => page.getByTestId('btn-pause').innerText(), { timeout: 30_000 }).toMatch(/Resume/);
    await page.getByTestId('btn-pause').click();
  }
  await expect.poll(() => page.getByTestId('train-status').getAttribute('data-status'), { timeout: 120_000 }).toBe('completed');
}

describe('the runs of a session', () => {
  it('trains twice, pausing and resuming the first run', async () => {
    await expect.poll(() => page.getByTestId('engine-badge').innerText(), { timeout: 60_000 }).toMatch(/native TensorFlow/i);
    await page.getByTestId('btn-new-template').click();
    await page.getByTestId('template-lenet').click();
    await page.getByTestId('tab-data').click();
    await page.getByTestId('btn-choose-data').click();
    await choosePath(page, path.join(work, 'digits'));
    await expect.poll(() => page.getByTestId('data-summary').textContent(), { timeout: 30_000 }).toMatch(/600 images in 10 classes/);
    // Saved as a project: its runs go to runs/ beside the project file.
    fs.mkdirSync(path.join(work, 'project'));
    await page.getByTestId('btn-save-project-as').click();
    await saveInChooser(page, path.join(work, 'project'), 'lenet.strata.json');
    await expect.poll(() => page.getByTestId('project-path').getAttribute('data-path')).toBe(path.join(work, 'project', 'lenet.strata.json'));
    await page.getByTestId('tab-train').click();
    await page.getByTestId('train-epochs').fill('3');
    await trainOnce('0.001', true);
    await trainOnce('0.003', false);
  });

  it('lists both runs, overlays their curves and shows the one setting that differs', async () => {
    await page.getByTestId('tab-runs').click();
    const rows = page.locator('[data-testid^="run-row-"]');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(2);
    expect(fs.readdirSync(path.join(work, 'project', 'runs'))).toHaveLength(2); // beside the project, not in the host's folder
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-status')))).toEqual(['completed', 'completed']);
    for (const box of await page.locator('[data-testid^="run-select-"]').all()) await box.check();
    await expect.poll(() => page.getByTestId('compare-val_loss').locator('path.recharts-curve').count(), { timeout: 30_000 }).toBe(2);
    const diff = await page.getByTestId('compare-diff').innerText();
    expect(diff).toMatch(/training\.learningRate\s+0\.003\s+0\.001/);
    expect(diff).not.toMatch(/training\.epochs/);
  });

  it('names and annotates a run', async () => {
    const first = page.locator('[data-testid^="run-row-"]').first();
    const runId = (await first.getAttribute('data-testid'))!.replace('run-row-', '');
    page.once('dialog', (d) => void d.accept('faster lr'));
    await page.getByTestId(`run-rename-${runId}`).click();
    await expect.poll(() => first.innerText()).toMatch(/faster lr/);
    page.once('dialog', (d) => void d.accept('looks best'));
    await page.getByTestId(`run-note-${runId}`).click();
    await expect.poll(() => first.innerText()).toMatch(/looks best/);
    const record = JSON.parse(fs.readFileSync(path.join(work, 'project', 'runs', runId, 'run.json'), 'utf8'));
    expect(record).toMatchObject({ name: 'faster lr', note: 'looks best' });
    await screenshot(page, '24-runs-compared');
  });

  it('runs a sweep from the window: one run per value, ranked in a sortable table', async () => {
    await page.getByTestId('sweep-box').locator('summary').click();
    await page.getByTestId('sweep-params').fill('{"learningRate": [0.0003, 0.003], "dense_1.units": [60]}');
    await page.getByTestId('sweep-metric').selectOption('val_acc');
    await page.getByTestId('btn-sweep-start').click();
    await expect.poll(() => page.getByTestId('sweep-progress').innerText(), { timeout: 180_000 }).toBe('2 of 2 trials done · finished');
    await page.getByTestId('sweep-sort-val_acc').click();
    const accs = await page.locator('[data-testid^="sweep-row-"] td:last-child').allInnerTexts();
    expect(accs.map(Number)).toEqual([...accs.map(Number)].sort((a, b) => b - a));
    await expect.poll(() => page.locator('[data-testid^="run-row-"]').count(), { timeout: 30_000 }).toBe(4); // the trials are runs too
    await page.getByTestId('sweep-table').scrollIntoViewIfNeeded();
    await screenshot(page, '25-sweep');
  });

  it('fails a run whose engine is killed mid-epoch, keeps the window up, and resumes it from the Runs tab to the end', async () => {
    await page.getByTestId('tab-train').click();
    await page.getByTestId('train-epochs').fill('30');
    await page.getByTestId('btn-train').click();
    await expect.poll(() => page.getByTestId('train-progress-text').innerText(), { timeout: 120_000 }).toMatch(/Epoch ([2-9]|\d\d)\/30 · batch [1-9]/);
    // The run's record names the process training it: the engine. Kill it as the OOM killer would.
    const runsDir = path.join(work, 'project', 'runs');
    const running = fs.readdirSync(runsDir).filter((id) => fs.existsSync(path.join(runsDir, id, 'run.json'))) // not the sweep's folder
      .map((id) => ({ id, record: JSON.parse(fs.readFileSync(path.join(runsDir, id, 'run.json'), 'utf8')) as { status: string; pid: number } }))
      .filter((r) => r.record.status === 'running');
    expect(running).toHaveLength(1);
    const runId = running[0]!.id;
    process.kill(running[0]!.record.pid, 'SIGKILL');
    // Once seen failing in a loaded fresh-clone CI run (no end status in 60 s, then the host
    // did not stop): if it happens again, the failure carries the host's output and a screenshot.
    await expect.poll(() => page.getByTestId('train-status').getAttribute('data-status', { timeout: 5_000 }).catch(() => null), { timeout: 60_000 }).toBe('failed')
      .catch(async (err: unknown) => {
        await screenshot(page, 'failure-engine-killed');
        throw new Error(`${err instanceof Error ? err.message : String(err)}\nthe host's output (last 3,000 characters):\n${studio.hostOutput().slice(-3000)}`);
      });
    expect(await page.getByTestId('train-status').innerText()).toMatch(/engine process died mid-run \(the engine process was killed \(SIGKILL\)\); resume the run from its last checkpoint/);
    const failed = JSON.parse(fs.readFileSync(path.join(runsDir, runId, 'run.json'), 'utf8')) as { checkpointEpoch: number };
    expect(failed.checkpointEpoch).toBeGreaterThanOrEqual(1);
    expect(failed.checkpointEpoch).toBeLessThan(30);

    await page.getByTestId('tab-runs').click();
    await expect.poll(() => page.getByTestId(`run-row-${runId}`).getAttribute('data-status'), { timeout: 30_000 }).toBe('failed');
    await page.getByTestId(`run-resume-${runId}`).click();
    await page.getByTestId('tab-train').click();
    await expect.poll(() => page.getByTestId('train-progress-text').innerText(), { timeout: 60_000 }).toMatch(new RegExp(`resumed from epoch ${failed.checkpointEpoch}`));
    await expect.poll(() => page.getByTestId('train-status').getAttribute('data-status'), { timeout: 180_000 }).toBe('completed');
    const resumed = JSON.parse(fs.readFileSync(path.join(runsDir, runId, 'run.json'), 'utf8'));
    expect(resumed).toMatchObject({ status: 'completed', checkpointEpoch: 30, resumes: 1 });
    // The curves go on from the epochs trained before the kill: one validation point per epoch, 1 to 30.
    expect(await page.getByTestId('chart-loss').getAttribute('data-epoch-count')).toBe('30');
    await screenshot(page, '26-run-resumed');
    await page.getByTestId('tab-runs').click();
    await expect.poll(() => page.getByTestId(`run-row-${runId}`).getAttribute('data-status'), { timeout: 30_000 }).toBe('completed');
  });

  it('saw no errors in the page', () => {
    expect(errors).toEqual([]);
  });
});
