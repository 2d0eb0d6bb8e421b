import type { z } from 'zod';
import type { OnnxGraph } from './onnx-graph.ts';

/** One weight of a tfjs layer, in the order tfjs keeps them (kernel, then bias, …). */
export interface LayerWeight {
  shape: number[];
  values: Float32Array;
}

/**
 * What a converter sees of one spec layer: its parsed parameters, the ONNX tensors its
 * inbound layers produced (NHWC / batch-first, exactly as tfjs holds them), every shape
 * without the batch (all known: Strata infers them), and the trained weights.
 */
export interface OnnxLayerContext<P> {
  g: OnnxGraph;
  name: string;
  params: P;
  inputs: string[];
  inputShapes: number[][];
  outputShape: number[];
  weights: LayerWeight[];
  /** For a recurrent layer tfjs masks: float (batch, steps), 1 where the step is real, 0 where it is padding. */
  mask?: string;
}

/** Writes the layer's nodes and returns the tensor holding its output. */
export type OnnxLayerConverter = (ctx: OnnxLayerContext<Record<string, unknown>>) => string;

/** A converter whose config is parsed with the catalog's own schema, so defaults match tfjs'. */
export function converter<P>(schema: z.ZodType<P>, convert: (ctx: OnnxLayerContext<P>) => string): OnnxLayerConverter {
  return (ctx) => convert({ ...ctx, params: schema.parse(ctx.params) });
}

/** The idx-th input's tensor and shape; converters for single-input kinds use input(ctx). */
export function input(ctx: OnnxLayerContext<unknown>, idx = 0): { x: string; shape: number[] } {
  const x = ctx.inputs[idx];
  const shape = ctx.inputShapes[idx];
  if (x === undefined || shape === undefined) throw new Error(`${ctx.name} has no input ${idx}`);
  return { x, shape };
}

/** The idx-th weight, checked against the shape the converter expects (a mismatch is a bug, said plainly). */
export function weight(ctx: OnnxLayerContext<unknown>, idx: number, shape: readonly number[]): Float32Array {
  const w = ctx.weights[idx];
  if (!w || w.shape.length !== shape.length || w.shape.some((d, i) => d !== shape[i])) {
    throw new Error(`${ctx.name}: weight ${idx} has shape [${w?.shape.join(', ') ?? 'none'}], expected [${shape.join(', ')}]`);
  }
  return w.values;
}

/**
 * Reorders a row-major tensor's axes (a small transpose for weights: tfjs' HWIO kernels to
 * ONNX's OIHW and the like).
 */
export function permute(values: Float32Array, shape: readonly number[], perm: readonly number[]): { values: Float32Array; shape: number[] } {
  const rank = shape.length;
  const outShape = perm.map((p) => shape[p]!);
  const inStrides = new Array<number>(rank).fill(1);
  for (let i = rank - 2; i >= 0; i--) inStrides[i] = inStrides[i + 1]! * shape[i + 1]!;
  const out = new Float32Array(values.length);
  const index = new Array<number>(rank).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let i = 0; i < rank; i++) src += index[i]! * inStrides[perm[i]!]!;
    out[o] = values[src]!;
    for (let i = rank - 1; i >= 0; i--) {
      index[i] = index[i]! + 1;
      if (index[i]! < outShape[i]!) break;
      index[i] = 0;
    }
  }
  return { values: out, shape: outShape };
}
