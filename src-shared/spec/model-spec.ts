import { z } from 'zod';

/**
 * The model spec: Keras-shaped JSON (`class_name` + `config`, snake_case keys) so that
 * exports to Keras and tfjs are a mapping, not a translation. Each layer names the layers
 * it reads from in `inbound`, in order (Concatenate cares). Canvas positions live beside
 * the graph, not in it, so moving a node never changes the model.
 */
export const MODEL_SPEC_VERSION = 1;

/** A layer's unique name; also its node id on the canvas. Keras' own naming rules. */
export const LayerNameSchema = z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/, 'a layer name starts with a letter or _ and has only letters, digits, _ . -');

export const LayerSpecSchema = z.object({
  class_name: z.string().min(1),
  name: LayerNameSchema,
  /** Parameters, validated per kind by the layer catalog (unknown kinds are graph errors). */
  config: z.record(z.string(), z.unknown()),
  inbound: z.array(LayerNameSchema),
  /** false: the layer is frozen — its weights stay as they are while the rest trains (transfer learning). */
  trainable: z.boolean().optional(),
});
export type LayerSpec = z.infer<typeof LayerSpecSchema>;

export const PositionSchema = z.object({ x: z.number().finite(), y: z.number().finite() });
export type Position = z.infer<typeof PositionSchema>;

/** The class name of a layer that is an instance of a composite block (graph-blocks.ts). */
export const BLOCK_CLASS = 'Block';
/** In a block's inner graph, the name that stands for whatever the instance reads from. */
export const BLOCK_INPUT = 'block_input';

/**
 * A composite block: a named, reusable inner graph with one input and one output. An
 * instance is a layer `{class_name: 'Block', config: {block: <name>}}`; the engine and the
 * exports see the inner layers in its place (flattenBlocks).
 */
export const BlockDefSchema = z.object({
  /** Inner layers; an inbound of BLOCK_INPUT reads the instance's input. */
  layers: z.array(LayerSpecSchema).min(1),
  /** The inner layer whose output is the block's output. */
  output: LayerNameSchema,
  /** Inner positions, for expanding the block back onto the canvas. */
  layout: z.record(z.string(), PositionSchema).default({}),
});
export type BlockDef = z.infer<typeof BlockDefSchema>;

export const ModelSpecSchema = z.object({
  schemaVersion: z.literal(MODEL_SPEC_VERSION),
  class_name: z.literal('Model'),
  config: z.object({
    name: z.string().min(1),
    layers: z.array(LayerSpecSchema),
  }),
  /** Canvas layout, keyed by layer name; missing entries are laid out automatically. */
  layout: z.record(z.string(), PositionSchema).default({}),
  /** The project's composite blocks, by name (instances refer to them). */
  blocks: z.record(LayerNameSchema, BlockDefSchema).optional(),
}).superRefine((spec, ctx) => {
  const seen = new Set<string>();
  spec.config.layers.forEach((layer, i) => {
    if (seen.has(layer.name)) {
      ctx.addIssue({ code: 'custom', path: ['config', 'layers', i, 'name'], message: `two layers are named "${layer.name}"; layer names must be unique` });
    }
    seen.add(layer.name);
  });
});
export type ModelSpec = z.infer<typeof ModelSpecSchema>;

/** Tensor shape without the batch dimension; null is an unknown size. */
export type Shape = ReadonlyArray<number | null>;

export function formatShape(shape: Shape): string {
  return `(${shape.map((d) => (d === null ? '?' : String(d))).join(', ')})`;
}
