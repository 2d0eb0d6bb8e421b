import { z } from 'zod';
import { formatShape } from '../spec/model-spec.ts';
import { defineLayerKind, LayerShapeError } from './layer-kind.ts';
import { NO_FLOPS, NO_PARAMS, onlyInput, shapeSize } from './shape-rules.ts';

export const FlattenParamsSchema = z.object({});
export type FlattenParams = z.infer<typeof FlattenParamsSchema>;

export const FlattenKind = defineLayerKind<FlattenParams>({
  className: 'Flatten',
  category: 'Reshape',
  help: 'Unrolls an image (or any grid) into one long list of numbers, e.g. before Dense.',
  params: FlattenParamsSchema,
  inputs: { min: 1, max: 1 },
  inferShape(inputs) {
    const input = onlyInput(inputs);
    // tfjs refuses to flatten an already-flat input (its Flatten needs rank ≥ 2 per sample).
    if (input.length < 2) {
      throw new LayerShapeError(`Flatten's input ${formatShape(input)} is already flat — delete this Flatten`);
    }
    const size = shapeSize(input);
    if (size === null) {
      throw new LayerShapeError(`Flatten needs every size of its input known, but gets ${formatShape(input)}`);
    }
    return [size];
  },
  countParams: () => NO_PARAMS,
  flops: NO_FLOPS,
});
