import { describe, expect, it } from 'vitest';
import { chain } from '../spec/templates.ts';
import { analyzeGraph } from './analyze-graph.ts';
import { applyFix } from './graph-edits.ts';

describe('live costs: FLOPs and activation memory', () => {
  it('counts a conv layer as 2·k·k·c_in per output value, plus bias and activation', () => {
    const spec = chain('m', [28, 28, 1], [['Conv2D', { filters: 8, kernel_size: [3, 3], activation: 'relu' }], ['Flatten'], ['Dense', { units: 10, activation: 'softmax' }]]);
    const a = analyzeGraph(spec);
    const conv = a.nodes.conv2d_1!;
    const outputs = 26 * 26 * 8;
    expect(conv.flops).toBe(2 * 9 * 1 * outputs + outputs + outputs);
    expect(conv.activationBytes).toBe(4 * outputs);
    const dense = a.nodes.dense_1!;
    expect(dense.flops).toBe(2 * outputs * 10 + 10 + 3 * 10);
    expect(a.totals.flops).toBe(Object.values(a.nodes).reduce((s, n) => s + (n.flops ?? 0), 0));
    expect(a.totals.activationBytes).toBe(4 * (28 * 28 + outputs + outputs + 10));
  });

  it('leaves costs unknown on a layer whose shape cannot be inferred', () => {
    const spec = chain('m', [28, 28, 1], [['Dense', { units: 4 }]]);
    const a = analyzeGraph(spec);
    expect(a.nodes.dense_1).toMatchObject({ flops: null, activationBytes: null });
  });
});

describe('output fix-its against the dataset', () => {
  it('offers "set units to the class count" on a Dense output of the wrong size, and the fix makes it valid', () => {
    const spec = chain('m', [4], [['Dense', { units: 8, activation: 'relu' }], ['Dense', { units: 10, activation: 'softmax' }]]);
    const before = analyzeGraph(spec, { classes: 3 });
    const issue = before.nodes.dense_2!.issues.find((i) => i.code === 'OUTPUT_MISMATCH')!;
    expect(issue).toMatchObject({ severity: 'error', message: expect.stringContaining('3 classes') });
    expect(issue.fix).toEqual({ label: 'Set units to 3', setParams: { units: 3, activation: 'softmax' } });
    const fixed = applyFix(spec, 'dense_2', issue.fix!);
    expect(analyzeGraph(fixed, { classes: 3 }).valid).toBe(true);
    expect(analyzeGraph(spec).valid).toBe(true); // without a dataset there is nothing to check against
  });

  it('warns about an output without softmax and offers to use it', () => {
    const spec = chain('m', [4], [['Dense', { units: 3, activation: 'linear' }]]);
    const a = analyzeGraph(spec, { classes: 3 });
    expect(a.valid).toBe(true);
    const warning = a.issues.find((i) => i.code === 'OUTPUT_MISMATCH')!;
    expect(warning).toMatchObject({ severity: 'warning', fix: { setParams: { activation: 'softmax' } } });
    expect(analyzeGraph(applyFix(spec, 'dense_1', warning.fix!), { classes: 3 }).issues).toEqual([]);
  });

  it('offers to add a softmax Dense output after a layer without units', () => {
    const spec = chain('m', [8, 8, 4], [['Conv2D', { filters: 6 }], ['GlobalAveragePooling2D']]);
    const a = analyzeGraph(spec, { classes: 5 });
    const issue = a.issues.find((i) => i.code === 'OUTPUT_MISMATCH')!;
    expect(issue.fix).toMatchObject({ label: 'Add Dense(5, softmax) output', appendAfter: { class_name: 'Dense' } });
    const fixed = applyFix(spec, issue.layer!, issue.fix!);
    const after = analyzeGraph(fixed, { classes: 5 });
    expect(after.valid).toBe(true);
    expect(after.outputs).toEqual(['dense_1']);
    expect(fixed.layout.dense_1).toBeDefined();
  });
});

describe('alternative fix-its', () => {
  it('offers Flatten or GlobalAveragePooling2D for a Dense after an image, and either one makes it valid', () => {
    const spec = chain('m', [8, 8, 4], [['Conv2D', { filters: 6 }], ['Dense', { units: 3, activation: 'softmax' }]]);
    const issue = analyzeGraph(spec).issues.find((i) => i.code === 'SHAPE')!;
    expect([issue.fix!.label, ...issue.otherFixes!.map((f) => f.label)]).toEqual(['Insert Flatten', 'Insert GlobalAveragePooling2D']);
    for (const fix of [issue.fix!, ...issue.otherFixes!]) {
      const fixed = analyzeGraph(applyFix(spec, 'dense_1', fix));
      expect(fixed.valid, fix.label).toBe(true);
    }
    expect(analyzeGraph(applyFix(spec, 'dense_1', issue.otherFixes![0]!)).nodes.dense_1!.params!.trainable).toBe(6 * 3 + 3);
  });
});
