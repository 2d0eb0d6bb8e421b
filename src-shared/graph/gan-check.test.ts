import { describe, expect, it } from 'vitest';
import { dcganTemplate, GanProjectSchema, GanSpecSchema, type GanSpec } from '../contract/gan.ts';
import { chain, getTemplate } from '../spec/templates.ts';
import { checkGan } from './gan-check.ts';

const codes = (gan: GanSpec, shape: number[]) => checkGan(gan, shape).map((i) => [i.code, i.network, i.severity]);

describe('checkGan', () => {
  it('accepts the DCGAN template on 28×28 grey images, and the template parses as a GAN spec', () => {
    const gan = dcganTemplate();
    expect(GanSpecSchema.parse(gan)).toEqual(gan);
    expect(checkGan(gan, [28, 28, 1])).toEqual([]);
  });

  it('sizes the template for other images that divide by 4', () => {
    expect(checkGan(dcganTemplate([32, 32, 3]), [32, 32, 3])).toEqual([]);
  });

  it('refuses a dataset whose images are another size than both networks use, marking each', () => {
    const issues = checkGan(dcganTemplate(), [32, 32, 1]);
    expect(issues.map((i) => [i.code, i.network])).toEqual([['IMAGE_SIZE_MISMATCH', 'generator'], ['IMAGE_SIZE_MISMATCH', 'discriminator']]);
    expect(issues[0]!.message).toContain("the dataset's images are (32, 32, 1)");
  });

  it('refuses a generator whose images the discriminator cannot take', () => {
    const gan = { ...dcganTemplate(), discriminator: getTemplate('dcgan-discriminator')!.build({ inputShape: [32, 32, 1] }) };
    expect(codes(gan, [28, 28, 1])).toEqual([['GENERATOR_DISCRIMINATOR_MISMATCH', 'generator', 'error']]);
  });

  it('refuses a noise size the generator does not take', () => {
    const issues = checkGan({ ...dcganTemplate(), noiseSize: 64 }, [28, 28, 1]);
    expect(issues.map((i) => i.code)).toEqual(['NOISE_SIZE']);
    expect(issues[0]!.message).toBe("The generator's input is (100) but the noise size is 64: set its Input shape to (64) or the noise size to match.");
  });

  it('refuses a discriminator that outputs a class vector or no probability', () => {
    const tenWay = chain('d', [28, 28, 1], [['Flatten'], ['Dense', { units: 10, activation: 'softmax' }]]);
    expect(codes({ ...dcganTemplate(), discriminator: tenWay }, [28, 28, 1])).toEqual([['DISCRIMINATOR_OUTPUT', 'discriminator', 'error']]);
    const linear = chain('d', [28, 28, 1], [['Flatten'], ['Dense', { units: 1, activation: 'linear' }]]);
    expect(checkGan({ ...dcganTemplate(), discriminator: linear }, [28, 28, 1])[0]!.message).toContain('set its activation to sigmoid');
  });

  it('warns when the generator does not end in tanh (real images are scaled to [-1, 1])', () => {
    const sigmoidOut = chain('g', [100], [['Dense', { units: 784, activation: 'sigmoid' }], ['Reshape', { target_shape: [28, 28, 1] }]]);
    const reshapeOut = checkGan({ ...dcganTemplate(), generator: sigmoidOut }, [28, 28, 1]);
    // The last layer is the Reshape, which has no activation: a warning, not an error.
    expect(reshapeOut.map((i) => [i.code, i.severity])).toEqual([['GENERATOR_ACTIVATION', 'warning']]);
  });

  it('passes on a graph error of either network, naming the network', () => {
    const broken = chain('g', [100], [['Dense', { units: 784, activation: 'tanh' }], ['Reshape', { target_shape: [27, 28, 1] }]]);
    const issues = checkGan({ ...dcganTemplate(), generator: broken }, [28, 28, 1]);
    expect(issues.map((i) => i.code)).toContain('GENERATOR_GRAPH');
    expect(issues.every((i) => i.network === 'generator')).toBe(true);
  });

  it('parses a GAN project file with defaults for the training settings', () => {
    const project = GanProjectSchema.parse({ kind: 'gan-project', gan: dcganTemplate(), data: { path: 'digits' } });
    expect(project.training).toMatchObject({ epochs: 30, batchSize: 64, realLabel: 0.9, generator: { learningRate: 0.0004, beta1: 0.5 }, gridSize: 8 });
    expect(project.data).toEqual({ path: 'digits', imageSize: [28, 28], channels: 1 });
  });
});
