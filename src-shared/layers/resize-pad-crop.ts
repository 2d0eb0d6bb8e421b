import { z } from 'zod';
import { defineLayerKind, LayerShapeError } from './layer-kind.ts';
import { pairParam } from './layer-params.ts';
import { normalisePairs } from './sequence-rules.ts';
import { elements, NO_FLOPS, NO_PARAMS, onlyInput, requireImage } from './shape-rules.ts';

/** Growing, padding and cropping images: the shape plumbing of decoders, U-Nets and GANs. */

export const UpSampling2DParamsSchema = z.object({
  size: pairParam('size', '[2, 2]').default([2, 2]),
  interpolation: z.enum(['nearest', 'bilinear'], { error: "interpolation must be 'nearest' or 'bilinear'" }).default('nearest'),
});
type UpSampling2DParams = z.infer<typeof UpSampling2DParamsSchema>;

export const UpSampling2DKind = defineLayerKind<UpSampling2DParams>({
  className: 'UpSampling2D',
  category: 'Reshape',
  help: 'Grows an image by repeating (or interpolating) pixels, e.g. 2× taller and wider; no weights.',
  params: UpSampling2DParamsSchema,
  inputs: { min: 1, max: 1 },
  inferShape(inputs, p) {
    const [h, w, c] = requireImage('UpSampling2D', onlyInput(inputs));
    return [h === null ? null : h * p.size[0], w === null ? null : w * p.size[1], c];
  },
  countParams: () => NO_PARAMS,
  flops: (_inputs, p, output) => (p.interpolation === 'bilinear' ? 4 * elements(output) : 0),
});

const side = z.number({ error: 'each padding or cropping must be a whole number ≥ 0' }).int('must be a whole number').min(0, 'must be at least 0');
const pairsParam = (field: string, example: string) => z.union([
  side,
  z.tuple([side, side]),
  z.tuple([z.tuple([side, side]), z.tuple([side, side])]),
], { error: `${field} must be a number, [height, width] or [[top, bottom], [left, right]], e.g. ${example}` });

export const ZeroPadding2DParamsSchema = z.object({
  padding: pairsParam('padding', '[[1, 1], [1, 1]]').default([[1, 1], [1, 1]]),
});
type ZeroPadding2DParams = z.infer<typeof ZeroPadding2DParamsSchema>;

export const ZeroPadding2DKind = defineLayerKind<ZeroPadding2DParams>({
  className: 'ZeroPadding2D',
  category: 'Reshape',
  help: 'Adds rows and columns of zeros around an image, e.g. to keep its size through a convolution.',
  params: ZeroPadding2DParamsSchema,
  inputs: { min: 1, max: 1 },
  inferShape(inputs, p) {
    const [h, w, c] = requireImage('ZeroPadding2D', onlyInput(inputs));
    const [[top, bottom], [left, right]] = normalisePairs(p.padding);
    return [h === null ? null : h + top + bottom, w === null ? null : w + left + right, c];
  },
  countParams: () => NO_PARAMS,
  flops: NO_FLOPS,
});

export const Cropping2DParamsSchema = z.object({
  cropping: pairsParam('cropping', '[[1, 1], [1, 1]]').default([[0, 0], [0, 0]]),
});
type Cropping2DParams = z.infer<typeof Cropping2DParamsSchema>;

export const Cropping2DKind = defineLayerKind<Cropping2DParams>({
  className: 'Cropping2D',
  category: 'Reshape',
  help: 'Cuts rows and columns off the edges of an image, e.g. to match another branch before Add.',
  params: Cropping2DParamsSchema,
  inputs: { min: 1, max: 1 },
  inferShape(inputs, p) {
    const [h, w, c] = requireImage('Cropping2D', onlyInput(inputs));
    const [[top, bottom], [left, right]] = normalisePairs(p.cropping);
    const outH = h === null ? null : h - top - bottom;
    const outW = w === null ? null : w - left - right;
    if ((outH !== null && outH < 1) || (outW !== null && outW < 1)) {
      throw new LayerShapeError(`Cropping2D would crop the whole ${h}×${w} image away — crop less`);
    }
    return [outH, outW, c];
  },
  countParams: () => NO_PARAMS,
  flops: NO_FLOPS,
});
