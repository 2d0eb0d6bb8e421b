import { describe, expect, it } from 'vitest';
import { ImageDataConfigSchema, TableDataConfigSchema, type DataConfig } from '../../src-shared/contract/data-config.ts';
import { dataNeeds } from '../state/data-needs.ts';
import { analyzeGraph } from '../../src-shared/graph/analyze-graph.ts';
import { updateConfig } from '../../src-shared/graph/graph-edits.ts';
import { TEMPLATES } from '../../src-shared/spec/templates.ts';
import { blankSpec } from '../state/editor-store.ts';
import { dataFit } from './data-fit.ts';
import { topProbabilities } from './explain-view.ts';
import { isImageFile, joinPath, pathCrumbs } from './path-crumbs.ts';
import { needsRescan } from './scan-data-folder.ts';
import { trainBlocker } from './train-readiness.ts';

const lenet = TEMPLATES.find((t) => t.id === 'lenet')!.build();
const digits = ImageDataConfigSchema.parse({ kind: 'image-folder', path: '/data/digits', imageSize: [28, 28], channels: 1 });
const colour = { ...digits, imageSize: [32, 32] as [number, number], channels: 3 as const };
/** An image scan that found `classes` classes (what dataNeeds reads of it). */
const scanOf = (classes: number) => ({
  kind: 'image-folder' as const, root: '/data/digits', labelsCsv: null, total: classes, skipped: [],
  classes: Array.from({ length: classes }, (_, i) => ({ name: String(i), count: 1, thumbnails: [] })),
  suggested: { imageSize: [28, 28] as [number, number], channels: 1 as const },
});

describe('dataFit', () => {
  it('finds the Input to resize and the output Dense whose units should match the classes', () => {
    expect(dataFit(lenet, analyzeGraph(lenet), dataNeeds(colour, scanOf(5), null))).toEqual({
      inputLayer: 'input_1', inputShape: [28, 28, 1], wantedShape: [32, 32, 3], inputMatches: false,
      outputDense: 'dense_3', outputUnits: 10, classes: 5, unitsMatch: false, activationFix: null,
    });
  });

  it('for a regression table: the loaded shape sizes the Input, and a softmax head is offered a linear one', () => {
    const table = TableDataConfigSchema.parse({ kind: 'csv-table', path: '/data/houses.csv', target: 'price' });
    const shape = { sampleShape: [7], targets: { type: 'regression' as const, columns: ['price'], mean: [1], std: [1] }, counts: { train: 80, validation: 20, test: 0 }, skipped: 0 };
    const mlp = TEMPLATES.find((t) => t.id === 'mlp')!.build({ inputShape: [7], classes: 1 });
    expect(dataFit(mlp, analyzeGraph(mlp), dataNeeds(table, null, null)).wantedShape).toBeNull(); // not loaded yet
    const fit = dataFit(mlp, analyzeGraph(mlp), dataNeeds(table, null, shape));
    expect({ input: fit.inputMatches, units: fit.unitsMatch, activation: fit.activationFix }).toEqual({ input: true, units: true, activation: 'linear' });
  });
});

describe('trainBlocker', () => {
  it('explains, in order, why Train is disabled', () => {
    const broken = updateConfig(lenet, 'conv2d_2', { kernel_size: [50, 50] });
    const fiveUnits = updateConfig(lenet, 'dense_3', { units: 5 });
    const check = (spec = lenet, data: DataConfig | null = digits, classes: number | null = 10, running = false) =>
      trainBlocker(spec, analyzeGraph(spec), data, dataNeeds(data, classes === null ? null : scanOf(classes), null), running);
    expect([
      check(lenet, digits, 10, true),
      check(blankSpec()),
      check(broken)?.startsWith('The graph has 1 error'),
      check(lenet, null),
      check(lenet, colour),
      check(fiveUnits),
      check(),
    ]).toEqual([
      'A run is in progress.',
      'The canvas is empty: add layers or start from a template.',
      true,
      'Choose a dataset in the Data tab first.',
      'The Input shape (28, 28, 1) does not match the data (32, 32, 3): use "Set Input shape from data" in the Data tab.',
      'dense_3 has 5 units but the data has 10 classes: set its units to 10.',
      null,
    ]);
  });
});

describe('needsRescan', () => {
  it('rescans an image folder once when the project changes kind, and again only to clear the other kind\'s error', () => {
    const classifierScan = scanOf(10);
    const ganScan = { ...scanOf(1), purpose: 'gan' as const };
    const at = (scan: typeof classifierScan, scanError: string | null = null, scanning = false) => ({ data: digits, scan, scanning, scanError });
    const gan = { purpose: 'gan' as const, path: '/data/digits' };
    const classifier = { purpose: 'classifier' as const, path: '/data/digits' };
    expect([
      needsRescan('classifier', at(classifierScan), null), // the scan is this kind's
      needsRescan('gan', at(classifierScan), null), // became a GAN project
      needsRescan('gan', at(classifierScan, null, true), null), // wait for the scan under way
      needsRescan('gan', at(classifierScan, 'it failed'), gan), // tried already: the failure stays shown
      needsRescan('classifier', at(ganScan, 'no class sub-folders'), gan), // a classifier again: its own scan
      needsRescan('gan', at(ganScan, 'no class sub-folders'), classifier), // back to a GAN: clear the classifier's error
      needsRescan('gan', at(ganScan, 'another folder failed'), null), // an error of a chosen folder is kept
      needsRescan('gan', { ...at(classifierScan), data: { ...digits, path: '/elsewhere' } }, null), // the scan is of another folder
    ]).toEqual([false, true, false, false, true, true, false, false]);
  });
});

describe('path helpers', () => {
  it('builds breadcrumbs for POSIX and Windows paths', () => {
    expect({ posix: pathCrumbs('/home/ann/data'), windows: pathCrumbs('C:\\Users\\ann') }).toEqual({
      posix: [{ label: '/', path: '/' }, { label: 'home', path: '/home' }, { label: 'ann', path: '/home/ann' }, { label: 'data', path: '/home/ann/data' }],
      windows: [{ label: 'C:', path: 'C:\\' }, { label: 'Users', path: 'C:\\Users' }, { label: 'ann', path: 'C:\\Users\\ann' }],
    });
  });
  it('joins with the folder\'s separator and recognises images', () => {
    expect([joinPath('/', 'tmp'), joinPath('/a', 'b'), joinPath('C:\\a', 'b'), isImageFile('x.PNG'), isImageFile('notes.txt')])
      .toEqual(['/tmp', '/a/b', 'C:\\a\\b', true, false]);
  });
});

describe('topProbabilities', () => {
  it('sorts classes by probability and keeps the top k', () => {
    expect(topProbabilities({ classes: ['0', '1', '2', '3'], probabilities: [0.1, 0.6, 0.1, 0.2] }, 3))
      .toEqual([{ name: '1', p: 0.6 }, { name: '3', p: 0.2 }, { name: '0', p: 0.1 }]);
  });
});
