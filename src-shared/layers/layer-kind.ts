import type { z } from 'zod';
import type { Shape } from '../spec/model-spec.ts';

export type LayerCategory = 'Input' | 'Core' | 'Convolution' | 'Pooling' | 'Recurrent' | 'Normalization' | 'Regularization' | 'Reshape' | 'Merge' | 'Activation';

/** A problem with a layer's inputs or parameters, phrased for the person editing it. */
export class LayerShapeError extends Error {
  override name = 'LayerShapeError';
  constructor(message: string, readonly fix?: LayerFix, readonly otherFixes: readonly LayerFix[] = []) {
    super(message);
  }
}

/** A one-click repair the canvas can offer next to an error (applied by graph edits). */
export interface LayerFix {
  label: string;
  /** Insert a layer of this kind between the failing node and its first input. */
  insertBefore?: { class_name: string; config?: Record<string, unknown> };
  /** Change parameters of the failing node. */
  setParams?: Record<string, unknown>;
  /** Add a layer after the failing node (which must end the graph), reading from it. */
  appendAfter?: { class_name: string; config?: Record<string, unknown> };
}

export interface ParamCount {
  trainable: number;
  nonTrainable: number;
}

/**
 * Everything Strata knows about one layer kind, in one place: its parameters (zod schema
 * with defaults), shape inference and parameter count. The engine registers the tfjs
 * construction under the same `className`; a test checks that every kind has one.
 */
export interface LayerKind<P extends Record<string, unknown> = Record<string, unknown>> {
  /** Keras' class name, e.g. "Conv2D". */
  readonly className: string;
  readonly category: LayerCategory;
  /** One line shown in the palette. */
  readonly help: string;
  /** Parses a config; every field has a default so `parse({})` gives a usable layer. */
  readonly params: z.ZodType<P>;
  /** How many inbound layers it takes: Input takes 0, merges take 2 or more. */
  readonly inputs: { min: number; max: number };
  /** Output shape from input shapes (without batch); throws LayerShapeError. */
  inferShape(inputs: readonly Shape[], params: P): Shape;
  countParams(inputs: readonly Shape[], params: P): ParamCount;
  /**
   * Forward floating-point operations for one sample, a multiply-add counting two; an
   * estimate for comparing layers and models, not a cycle count. Called only after
   * inferShape succeeded, with every size known.
   */
  flops(inputs: readonly Shape[], params: P, output: Shape): number;
}

/** Helper so each catalog file keeps its params type while the catalog holds the erased type. */
export function defineLayerKind<P extends Record<string, unknown>>(kind: LayerKind<P>): LayerKind {
  return kind as unknown as LayerKind;
}
