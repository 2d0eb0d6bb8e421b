import { z } from 'zod';
import { formatShape } from '../spec/model-spec.ts';
import { defineLayerKind, LayerShapeError } from './layer-kind.ts';
import { NO_FLOPS, NO_PARAMS, onlyInput, requireImage } from './shape-rules.ts';

/**
 * SpatialDropout2D: dropout that drops whole channels (feature maps) of an image rather
 * than single pixels; neighbouring pixels are strongly correlated, so dropping one of them
 * regularises little. SpatialDropout1D (whole features of a sequence) is in misc-kinds.ts.
 *
 * tfjs 4.22 has no spatialDropout2d; the engine builds it as the stock Dropout with the
 * noise shape (batch, 1, 1, channels), which is how Keras itself defines the layer
 * (keras/src/layers/regularization/spatial_dropout.py, channels_last).
 */

export const SpatialDropout2DParamsSchema = z.object({
  rate: z
    .number({ error: 'rate must be a number between 0 and 1, e.g. 0.2' })
    .min(0, 'rate must be at least 0 (0 drops nothing)')
    .lt(1, 'rate must be below 1 (1 would drop every channel)')
    .default(0.2),
});
export type SpatialDropout2DParams = z.infer<typeof SpatialDropout2DParamsSchema>;

export const SpatialDropout2DKind = defineLayerKind<SpatialDropout2DParams>({
  className: 'SpatialDropout2D',
  category: 'Regularization',
  help: 'While training, drops whole channels of an image (every pixel at once) rather than single values.',
  params: SpatialDropout2DParamsSchema,
  inputs: { min: 1, max: 1 },
  inferShape(inputs) {
    const input = onlyInput(inputs);
    // A sequence is the common mix-up: point at the 1-D layer rather than a Reshape.
    if (input.length === 2) {
      throw new LayerShapeError(
        `SpatialDropout2D drops channels of an image (height, width, channels) but gets the sequence ${formatShape(input)} — use SpatialDropout1D`,
      );
    }
    requireImage('SpatialDropout2D', input);
    return input;
  },
  countParams: () => NO_PARAMS,
  flops: NO_FLOPS,
});
