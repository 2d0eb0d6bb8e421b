import { describe, expect, it } from 'vitest';
import { getTemplate } from '../spec/templates.ts';
import { analyzeGraph } from './analyze-graph.ts';
import { copyFragment, GraphFragmentSchema, pasteFragment } from './graph-clipboard.ts';

const lenet = () => getTemplate('lenet')!.build();

describe('copy and paste of subgraphs', () => {
  it('copies the selected layers with the edges inside the selection only', () => {
    const fragment = copyFragment(lenet(), ['conv2d_2', 'max_pooling2d_2', 'dense_1']);
    expect(fragment.layers.map((l) => [l.name, l.inbound])).toEqual([
      ['conv2d_2', []], // its input (max_pooling2d_1) was not copied
      ['max_pooling2d_2', ['conv2d_2']],
      ['dense_1', []], // flatten_1 was not copied
    ]);
    expect(GraphFragmentSchema.parse(JSON.parse(JSON.stringify(fragment)))).toEqual(fragment);
  });

  it('pastes under fresh names, rewires the inside edges and offsets the positions', () => {
    const spec = lenet();
    const fragment = copyFragment(spec, ['conv2d_2', 'max_pooling2d_2']);
    const { spec: pasted, names } = pasteFragment(spec, fragment, { x: 40, y: 40 });
    expect(names).toEqual(['conv2d_3', 'max_pooling2d_3']);
    expect(pasted.config.layers.slice(-2).map((l) => [l.name, l.inbound])).toEqual([['conv2d_3', []], ['max_pooling2d_3', ['conv2d_3']]]);
    expect(pasted.layout.conv2d_3).toEqual({ x: spec.layout.conv2d_2!.x + 40, y: spec.layout.conv2d_2!.y + 40 });
    expect(pasted.config.layers.slice(0, -2)).toEqual(spec.config.layers); // the original is untouched
    // The copy's config is its own: editing it does not change the original.
    pasted.config.layers.at(-2)!.config.filters = 99;
    expect(spec.config.layers.find((l) => l.name === 'conv2d_2')!.config.filters).not.toBe(99);
  });

  it('pasting twice gives two independent copies, and a whole pasted model analyses like the original', () => {
    const spec = lenet();
    const all = spec.config.layers.map((l) => l.name);
    const once = pasteFragment(spec, copyFragment(spec, all), { x: 400, y: 0 });
    const twice = pasteFragment(once.spec, copyFragment(spec, all), { x: 800, y: 0 });
    expect(new Set(twice.spec.config.layers.map((l) => l.name)).size).toBe(3 * all.length);
    const copyOnly = { ...twice.spec, config: { ...twice.spec.config, layers: twice.spec.config.layers.filter((l) => twice.names.includes(l.name)) } };
    const a = analyzeGraph(spec);
    const b = analyzeGraph(copyOnly);
    expect(b.valid).toBe(true);
    expect(b.totals).toEqual(a.totals);
  });
});
