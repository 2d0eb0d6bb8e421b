import { describe, expect, it } from 'vitest';
import { dcganTemplate } from '../contract/gan.ts';
import { ModelSpecSchema, type ModelSpec } from '../spec/model-spec.ts';
import { chain } from '../spec/templates.ts';
import { joinGanCanvas, splitGanCanvas } from './gan-canvas.ts';
import { checkGan } from './gan-check.ts';

describe('joinGanCanvas / splitGanCanvas', () => {
  it('joins the DCGAN template into one valid canvas and splits it back to the same GAN', () => {
    const gan = dcganTemplate();
    const canvas = joinGanCanvas(gan);
    expect(ModelSpecSchema.safeParse(canvas).success).toBe(true);
    expect(canvas.config.layers).toHaveLength(gan.generator.config.layers.length + gan.discriminator.config.layers.length);
    const split = splitGanCanvas(canvas, 100);
    if (!split.ok) throw new Error(split.problems.join('; '));
    expect(split.gan.noiseSize).toBe(100);
    expect(split.gan.generator.config.layers).toEqual(gan.generator.config.layers);
    expect(split.gan.discriminator.config.layers).toEqual(gan.discriminator.config.layers);
    expect(checkGan(split.gan, [28, 28, 1])).toEqual([]);
  });

  it('lays the discriminator out to the right of the generator', () => {
    const canvas = joinGanCanvas(dcganTemplate());
    const xs = (prefix: string) => Object.entries(canvas.layout).filter(([n]) => n.startsWith(prefix)).map(([, p]) => p.x);
    expect(Math.min(...xs('disc_'))).toBeGreaterThan(Math.max(...xs('gen_')));
  });

  it('names what is missing when the canvas holds only one graph', () => {
    const gan = dcganTemplate();
    const canvas = joinGanCanvas(gan);
    const onlyGenerator: ModelSpec = { ...canvas, config: { ...canvas.config, layers: canvas.config.layers.filter((l) => l.name.startsWith('gen_')) } };
    expect(splitGanCanvas(onlyGenerator)).toEqual({ ok: false, problems: ['no discriminator: a graph whose Input is an image [h, w, c]'] });
  });

  it('refuses a third graph and a noise size the generator does not read', () => {
    const canvas = joinGanCanvas(dcganTemplate());
    const extra = chain('extra', [28, 28, 1], [['Flatten', {}]]);
    const three: ModelSpec = { ...canvas, config: { ...canvas.config, layers: [...canvas.config.layers, ...extra.config.layers.map((l) => ({ ...l, name: `x_${l.name}`, inbound: l.inbound.map((n) => `x_${n}`) }))] } };
    expect(splitGanCanvas(three)).toEqual({ ok: false, problems: ['2 discriminators on the canvas; a GAN has one'] });
    expect(splitGanCanvas(canvas, 64)).toEqual({ ok: false, problems: ["the noise size is 64 but the generator's Input reads 100 numbers"] });
  });
});
