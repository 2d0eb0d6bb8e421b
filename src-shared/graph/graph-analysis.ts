import type { LayerFix, ParamCount } from '../layers/layer-kind.ts';
import type { Shape } from '../spec/model-spec.ts';

/** Stable codes for graph problems; the canvas keys styling and fix-its on them. */
export type GraphIssueCode =
  | 'UNKNOWN_KIND'
  | 'BAD_PARAM'
  | 'UNKNOWN_INBOUND'
  | 'MISSING_INPUT'
  | 'TOO_MANY_INPUTS'
  | 'SHAPE'
  | 'CYCLE'
  | 'NO_INPUT_LAYER'
  | 'NO_OUTPUT'
  | 'MULTIPLE_OUTPUTS'
  | 'DISCONNECTED'
  | 'OUTPUT_MISMATCH';

export interface GraphIssue {
  code: GraphIssueCode;
  severity: 'error' | 'warning';
  /** The layer the issue is about; absent for whole-graph issues. */
  layer?: string;
  /** For BAD_PARAM: the config key. */
  param?: string;
  message: string;
  fix?: LayerFix;
  /** Other one-click repairs for the same problem (e.g. GlobalAveragePooling2D instead of Flatten). */
  otherFixes?: LayerFix[];
}

export interface NodeAnalysis {
  name: string;
  className: string;
  inputShapes: Shape[];
  /** null when it cannot be known (an error here or upstream). */
  outputShape: Shape | null;
  params: ParamCount | null;
  /** Forward FLOPs for one sample (multiply-add = 2), null when the shape is unknown. */
  flops: number | null;
  /** Bytes of this layer's output for one sample (float32), null when the shape is unknown. */
  activationBytes: number | null;
  issues: GraphIssue[];
}

/** Everything the canvas shows live: a shape per edge, params per node, every problem. */
export interface GraphAnalysis {
  nodes: Record<string, NodeAnalysis>;
  /** Topological order (only meaningful when there is no cycle). */
  order: string[];
  inputs: string[];
  outputs: string[];
  totals: {
    layers: number;
    trainable: number;
    nonTrainable: number;
    /** Per sample, summed over the layers whose shapes are known. */
    flops: number;
    activationBytes: number;
  };
  issues: GraphIssue[];
  /** True when there is no issue of severity "error": the graph can compile. */
  valid: boolean;
}
