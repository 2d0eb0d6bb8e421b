import { z } from 'zod';
import { defineLayerKind, LayerShapeError } from './layer-kind.ts';
import { edgePairsParam, pairParam } from './layer-params.ts';
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
  // Nearest only copies values; bilinear weighs four neighbours for every output value.
  flops: (_inputs, p, output) => (p.interpolation === 'bilinear' ? 4 * elements(output) : 0),
});

export const ZeroPadding2DParamsSchema = z.object({
  /** Any of Keras' forms (2, [1, 2], [[0, 1], [2, 2]]), parsed to [[top, bottom], [left, right]]. */
  padding: edgePairsParam('padding', '[[1, 1], [1, 1]]').default([[1, 1], [1, 1]]),
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
    const [[top, bottom], [left, right]] = p.padding;
    return [h === null ? null : h + top + bottom, w === null ? null : w + left + right, c];
  },
  countParams: () => NO_PARAMS,
  flops: NO_FLOPS,
});

export const Cropping2DParamsSchema = z.object({
  /** Any of Keras' forms, parsed to [[top, bottom], [left, right]] like ZeroPadding2D's padding. */
  cropping: edgePairsParam('cropping', '[[1, 1], [1, 1]]').default([[0, 0], [0, 0]]),
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
    const [[top, bottom], [left, right]] = p.cropping;
    const outH = h === null ? null : h - top - bottom;
    const outW = w === null ? null : w - left - right;
    // tfjs 4.22 checks none of this: cropping everything gives an empty (0-sized) output,
    // one row more becomes slice()'s "to the end" (-1) and silently keeps rows, more fails
    // at run time. Nothing sensible is left in any of these, so say so here.
    const gone = [
      outH !== null && outH < 1 ? `${top + bottom} of its ${h} rows` : null,
      outW !== null && outW < 1 ? `${left + right} of its ${w} columns` : null,
    ].filter((part) => part !== null);
    if (gone.length > 0) {
      throw new LayerShapeError(`Cropping2D crops ${gone.join(' and ')} away, leaving nothing of the ${h}×${w} image — crop less`);
    }
    return [outH, outW, c];
  },
  countParams: () => NO_PARAMS,
  flops: NO_FLOPS,
});
