import { z } from 'zod';
import { formatShape } from '../spec/model-spec.ts';
import { defineLayerKind, LayerShapeError } from './layer-kind.ts';
import { NO_FLOPS, NO_PARAMS, onlyInput, shapeSize } from './shape-rules.ts';

export const ReshapeParamsSchema = z.object({
  /** Sizes without the batch; one -1 means "whatever is left over". */
  target_shape: z
    .array(
      z
        .number({ error: 'target_shape must be a list of whole numbers, e.g. [28, 28, 1]' })
        .int('target_shape must be whole numbers, e.g. [28, 28, 1]')
        .refine((d) => d === -1 || d >= 1, 'each size in target_shape must be at least 1 (or -1 for "the rest")'),
      { error: 'target_shape must be a list of sizes, e.g. [28, 28, 1]' },
    )
    .min(1, 'target_shape needs at least one size, e.g. [28, 28, 1]')
    .refine((dims) => dims.filter((d) => d === -1).length <= 1, 'target_shape can have at most one -1')
    .default([-1]),
});
export type ReshapeParams = z.infer<typeof ReshapeParamsSchema>;

export const ReshapeKind = defineLayerKind<ReshapeParams>({
  className: 'Reshape',
  category: 'Reshape',
  help: 'Rearranges the same values into a new shape, e.g. 784 numbers into a 28×28×1 image.',
  params: ReshapeParamsSchema,
  inputs: { min: 1, max: 1 },
  inferShape(inputs, params) {
    const input = onlyInput(inputs);
    const total = shapeSize(input);
    const target = params.target_shape;
    const known = target.reduce((acc, d) => (d === -1 ? acc : acc * d), 1);
    const wanted = target.map((d) => (d === -1 ? '?' : String(d))).join(', ');
    if (total === null) {
      if (target.includes(-1)) {
        throw new LayerShapeError(`Reshape can only fill in -1 when every size of its input is known, but gets ${formatShape(input)}`);
      }
      return target;
    }
    if (!target.includes(-1)) {
      if (known !== total) {
        throw new LayerShapeError(
          `Reshape can't turn ${formatShape(input)} (${total} values) into (${wanted}) (${known} values) — the counts must match`,
        );
      }
      return target;
    }
    if (total % known !== 0) {
      throw new LayerShapeError(
        `Reshape can't turn ${formatShape(input)} (${total} values) into (${wanted}): ${total} is not a multiple of ${known}`,
      );
    }
    return target.map((d) => (d === -1 ? total / known : d));
  },
  countParams: () => NO_PARAMS,
  flops: NO_FLOPS,
});
