import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataConfigSchema, type DataConfig } from '../../../../src-shared/contract/data-config.ts';
import type { ExportResult } from '../../../../src-shared/contract/export.ts';
import { TrainingConfigSchema } from '../../../../src-shared/contract/project.ts';
import type { ModelSpec } from '../../../../src-shared/spec/model-spec.ts';
import { TEMPLATES } from '../../../../src-shared/spec/templates.ts';
import { evaluationFile, readSavedEvaluation } from '../../evaluate/evaluation-store.ts';
import { writeDigitFolder } from '../../testing/write-digit-folder.ts';
import { writePriceTable } from '../../testing/write-price-table.ts';
import { updateRun } from '../../train/run-list.ts';
import { readRunRecord } from '../../train/run-store.ts';
import { runTraining } from '../../train/train-run.ts';
import { readExportRecords, recordExport } from '../export-record.ts';
import { exportReport } from './report-export.ts';

const CHROMIUM = process.env.STRATA_CHROMIUM ?? '/usr/bin/chromium';
/** A class folder whose name is markup: the card must print it, never run it. */
const EVIL_CLASS = '<img src=x onerror=alert(1)>';
const EVIL_RUN_NAME = '<script>alert("run")</script> digits & co';
let work: string;

const template = (id: string) => TEMPLATES.find((t) => t.id === id)!;

async function train(spec: ModelSpec, data: DataConfig, epochs: number, learningRate: number): Promise<string> {
  const runDir = path.join(work, `run-${Math.random().toString(36).slice(2)}`);
  const end = await runTraining({
    runId: path.basename(runDir), runDir, spec, data,
    training: TrainingConfigSchema.parse({ epochs, batchSize: 16, learningRate, seed: 7, liveSaliency: { enabled: false } }),
  }, () => {}, new AbortController().signal);
  expect(end.status, end.reason).toBe('completed');
  return runDir;
}

/** Exports into an empty folder, so "one file" means nothing else was written beside it. */
async function exportInto(runDir: string, name: string): Promise<{ result: ExportResult; page: string; dir: string }> {
  const dir = fs.mkdtempSync(path.join(work, 'out-'));
  const result = await exportReport(runDir, path.join(dir, name));
  expect(fs.readdirSync(dir)).toEqual([name]);
  return { result, page: fs.readFileSync(path.join(dir, name), 'utf8'), dir };
}

/** Nothing the page could fetch: no remote or local resources, no script. */
function expectSelfContained(page: string): void {
  for (const bad of ['src="http', 'href="http', '<link', '<script', 'url(http', '@import']) expect(page).not.toContain(bad);
  const srcs = [...page.matchAll(/\s(?:src|href)="([^"]*)"/g)].map((m) => m[1]!);
  expect(srcs.every((s) => s.startsWith('data:image/png;base64,') || s.startsWith('#'))).toBe(true);
}

/** confusion[actual][predicted] as the page's table gives it. */
function confusionFromPage(page: string, classes: number): number[][] {
  const matrix = Array.from({ length: classes }, () => new Array<number>(classes).fill(-1));
  for (const m of page.matchAll(/data-actual="(\d+)" data-predicted="(\d+)"[^>]*>([\d,]+)<\/td>/g)) {
    matrix[Number(m[1])]![Number(m[2])] = Number(m[3]!.replace(/,/g, ''));
  }
  return matrix;
}

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-report-'));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('the model card of an image classifier', () => {
  let runDir: string;
  beforeAll(async () => {
    const digits = path.join(work, 'digits');
    await writeDigitFolder(digits, { perClass: 16, seed: 3, digits: [0, 1, 7] });
    fs.renameSync(path.join(digits, '7'), path.join(digits, EVIL_CLASS));
    const data = DataConfigSchema.parse({ kind: 'image-folder', path: digits, imageSize: [28, 28], channels: 1, validationSplit: 0.25 });
    runDir = await train(template('lenet').build({ inputShape: [28, 28, 1], classes: 3 }), data, 2, 0.003);
    updateRun(runDir, { name: EVIL_RUN_NAME });
  });

  it('is one self-contained page with the classes, the evaluation, the graph, the curves and Grad-CAM overlays', async () => {
    const record = readRunRecord(runDir);
    expect(record.classes).toContain(EVIL_CLASS);
    const { result, page, dir } = await exportInto(runDir, 'card.html');
    expect(result).toEqual({ format: 'report', path: path.join(dir, 'card.html'), files: ['card.html'], parity: null, notes: [] });
    expectSelfContained(page);

    // Every user-provided string is text: the class folder and the run's name come out escaped.
    expect(page).not.toContain('<img src=x');
    expect(page).not.toContain('<script>alert');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).toContain('<h1>&lt;script&gt;alert(&quot;run&quot;)&lt;/script&gt; digits &amp; co</h1>');

    // The evaluation the card shows is the one the run keeps (evaluated for the card when it had none).
    const saved = readSavedEvaluation(runDir, { kind: 'split', split: 'validation' });
    const e = saved!.evaluation;
    if (e.task !== 'classification') throw new Error('expected a classification evaluation');
    expect(e.classes).toEqual(record.classes);
    expect(confusionFromPage(page, 3)).toEqual(e.confusion);
    for (const c of e.perClass) expect(page).toContain(`<tr><td>${c.name.replace('<', '&lt;').replace('>', '&gt;')}</td>`);

    // The graph: one box per layer, named, with an edge per connection.
    const graph = /<svg class="graph"[\s\S]*?<\/svg>/.exec(page)![0];
    for (const layer of record.spec.config.layers) {
      expect(graph).toContain(`data-layer="${layer.name}"`);
      expect(graph).toContain(`>${layer.name}</text>`);
    }
    const connections = record.spec.config.layers.reduce((n, l) => n + l.inbound.length, 0);
    expect(graph.match(/class="edge"/g)).toHaveLength(connections);

    // Curves: one point per trained epoch, for loss and accuracy, training and validation.
    expect(page).toContain('data-epochs="2"');
    for (const s of ['loss', 'val_loss', 'acc', 'val_acc']) expect(page).toContain(`data-series="${s}" data-points="2"`);

    // Grad-CAM: an input and its overlay per explained image, as PNG data URLs.
    const images = [...page.matchAll(/<img src="(data:image\/png;base64,[^"]+)"/g)].map((m) => m[1]!);
    expect(images.length).toBeGreaterThanOrEqual(2);
    expect(Buffer.from(images[1]!.split(',')[1]!, 'base64').subarray(1, 4).toString()).toBe('PNG');
    expect(page).toContain('Grad-CAM on');

    // No export yet: no parity table, a sentence instead.
    expect(page).not.toContain('class="parity"');
    expect(page).toContain('No exports recorded yet');
  });

  it('opens in Chromium with no request, no script and every image decoded', async () => {
    const { dir } = await exportInto(runDir, 'card.html');
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
    try {
      const page = await browser.newPage();
      const requests: string[] = [];
      const dialogs: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
      const url = pathToFileURL(path.join(dir, 'card.html')).href;
      await page.goto(url, { waitUntil: 'load' });
      expect(requests.filter((r) => r !== url && !r.startsWith('data:'))).toEqual([]);
      expect(dialogs).toEqual([]);
      const facts = await page.evaluate(() => ({
        scripts: document.scripts.length,
        handlers: document.querySelectorAll('[onerror], [onload], [onclick]').length,
        images: [...document.images].map((i) => i.complete && i.naturalWidth > 0),
        title: document.querySelector('h1')?.textContent,
        graphBoxes: document.querySelectorAll('svg.graph g.layer').length,
        graphWidth: document.querySelector('svg.graph')?.getBoundingClientRect().width ?? 0,
      }));
      expect(facts.scripts).toBe(0);
      expect(facts.handlers).toBe(0);
      expect(facts.images.length).toBeGreaterThanOrEqual(2);
      expect(facts.images.every(Boolean)).toBe(true);
      expect(facts.title).toBe(EVIL_RUN_NAME);
      expect(facts.graphBoxes).toBe(readRunRecord(runDir).spec.config.layers.length);
      expect(facts.graphWidth).toBeGreaterThan(100);
    } finally {
      await browser.close();
    }
  });

  it('shows the parity table once an export is recorded, reusing the stored evaluation', async () => {
    const evaluation = evaluationFile(runDir, { kind: 'split', split: 'validation' });
    const evaluatedAt = fs.statSync(evaluation).mtimeMs;
    recordExport(runDir, {
      format: 'tfjs', path: path.join(work, 'tfjs-out'), files: ['model.json', 'weights.bin'], notes: [],
      parity: { format: 'tfjs', runtime: 'tfjs-node 4.22.0 (clean process)', samples: 12, maxAbsDiff: 3.5e-7, argmaxAgreement: 1, passed: true, skipped: null },
    });
    const { page } = await exportInto(runDir, 'card.html');
    expect(fs.statSync(evaluation).mtimeMs).toBe(evaluatedAt);
    expect(page.match(/<table class="parity">/g)).toHaveLength(1);
    const row = /<tr data-format="tfjs">[\s\S]*?<\/tr>/.exec(page)![0];
    expect(row).toContain('tfjs-node 4.22.0 (clean process)');
    expect(row).toContain('>12<');
    expect(row).toContain('3.50e-7');
    expect(row).toContain('100.0 %');
    expect(row).toContain('badge pass');
    // The report records itself (the Export dialog lists it) but is not a row of the parity table.
    expect(readExportRecords(runDir).map((r) => r.format).sort()).toEqual(['report', 'tfjs']);
    expect(page).not.toContain('data-format="report"');
  });
});

describe('the model card of a regression on a CSV table', () => {
  it('draws predicted vs actual and the loss curve, explains rows, and says when the data is gone', async () => {
    const csv = path.join(work, 'prices.csv');
    writePriceTable(csv);
    const data = DataConfigSchema.parse({ kind: 'csv-table', path: csv, target: 'price' });
    const runDir = await train(template('mlp').build({ inputShape: [4], classes: 1, task: 'regression' }), data, 2, 0.01);
    const { page } = await exportInto(runDir, 'prices.html');
    expectSelfContained(page);
    const e = readSavedEvaluation(runDir, { kind: 'split', split: 'validation' })!.evaluation;
    if (e.task !== 'regression') throw new Error('expected a regression evaluation');
    expect(page).toContain(`<g class="dots" data-points="${e.points.length}">`);
    expect(e.points.length).toBe(readRunRecord(runDir).validationFiles.length);
    expect(page).toContain(`<td class="num">${e.columns[0]!.r2.toFixed(4)}</td>`);
    expect(page).toContain('data-series="loss" data-points="2"');
    expect(page).toContain('data-series="val_loss" data-points="2"');
    expect(page).not.toContain('id="curve-accuracy"');
    expect(page).not.toContain('class="confusion"');
    // The data health report of the table, and Integrated Gradients per column.
    expect(page).toContain('<td>price <span class="badge info">target</span></td>');
    expect(page.match(/<table class="attribution">/g)).toHaveLength(3);
    expect(page).toContain('<td>colour</td>');

    fs.renameSync(csv, `${csv}.moved`);
    const { result, page: later } = await exportInto(runDir, 'prices.html');
    expect(later).toContain(`The data is gone: ${csv} is no longer on this machine`);
    expect(later).toContain(`<g class="dots" data-points="${e.points.length}">`); // the stored evaluation still shows
    expect(result.notes).toEqual([
      `The data is gone: ${csv} is no longer on this machine, so its health report could not be made.`,
      `No explanations: the data (${csv}) is gone, and they are computed on its validation samples.`,
    ]);
  });
});
