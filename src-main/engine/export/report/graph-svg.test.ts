import { describe, expect, it } from 'vitest';
import { analyzeGraph } from '../../../../src-shared/graph/analyze-graph.ts';
import { TEMPLATES } from '../../../../src-shared/spec/templates.ts';
import { graphSvg } from './graph-svg.ts';
import { html, raw } from './html.ts';

/** Each box's name and top-left corner, as the SVG places it. */
function boxes(svg: string): Array<{ name: string; x: number; y: number }> {
  return [...svg.matchAll(/data-layer="([^"]+)" transform="translate\(([-\d.]+) ([-\d.]+)\)"/g)].map((m) => ({ name: m[1]!, x: Number(m[2]), y: Number(m[3]) }));
}

describe('the graph picture', () => {
  const resnet = TEMPLATES.find((t) => t.id === 'resnet')!.build({ inputShape: [32, 32, 3], classes: 10 });

  it('uses the spec\'s own positions, and lays a spec without positions out in layers, with no box over another', () => {
    const placed = boxes(graphSvg(resnet, analyzeGraph(resnet)).value);
    expect(placed).toEqual(resnet.config.layers.map((l) => ({ name: l.name, x: resnet.layout[l.name]!.x, y: resnet.layout[l.name]!.y })));

    const bare = { ...resnet, layout: {} };
    const svg = graphSvg(bare, analyzeGraph(bare)).value;
    const laid = boxes(svg);
    expect(laid.map((b) => b.name)).toEqual(bare.config.layers.map((l) => l.name));
    for (const a of laid) {
      for (const b of laid) {
        if (a !== b) expect(Math.abs(a.x - b.x) >= 184 || Math.abs(a.y - b.y) >= 70, `${a.name} overlaps ${b.name}`).toBe(true);
      }
    }
    // Every connection drawn once; the input above everything it feeds.
    expect(svg.match(/class="edge"/g)).toHaveLength(bare.config.layers.reduce((n, l) => n + l.inbound.length, 0));
    const input = laid.find((b) => b.name === 'input_1')!;
    expect(laid.every((b) => b === input || b.y > input.y)).toBe(true);
    // Shapes and parameters from the analysis are on the boxes.
    expect(svg).toContain('>(32, 32, 16)</text>');
    expect(svg).toContain('>448 params</text>');
  });

  it('escapes text and attributes, and keeps markup that is already markup', () => {
    const name = `<img src=x onerror="alert('1')">&`;
    expect(html`<td title="${name}">${name}</td>${raw('<br>')}`.value)
      .toBe('<td title="&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;">&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;</td><br>');
    expect(html`<ul>${['a<', html`<li>b</li>`, null, false, 3]}</ul>`.value).toBe('<ul>a&lt;<li>b</li>3</ul>');
  });
});
