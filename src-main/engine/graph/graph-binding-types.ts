// The shape of Strata's own small N-API addon (native/strata_graph.c): a thin, generic
// window onto libtensorflow's C graph API. tfjs-node runs one op at a time (eager), which
// measured at half the speed of Keras on mnist_cnn; a whole training step built as one
// TensorFlow graph runs with grappler's fusions and no per-op dispatch from JavaScript.
// All model knowledge lives in TypeScript (training-graph.ts); the addon only adds
// operations, asks TensorFlow for gradients and runs sessions.

export type GraphDtype = 'float32' | 'int32' | 'bool' | 'int64';

/** One output of an operation in the graph: [operation name, output index]. */
export type OutputRef = readonly [op: string, index: number];

/** A tensor on the host side of a session run: row-major data of `shape`. */
export interface HostTensor {
  dtype: GraphDtype;
  shape: readonly number[];
  /** float32 → Float32Array, int32 → Int32Array, bool → Uint8Array, int64 → BigInt64Array. */
  data: Float32Array | Int32Array | Uint8Array | BigInt64Array;
}

export type AttrValue =
  | { type: 'dtype'; value: GraphDtype }
  | { type: 'int'; value: number }
  | { type: 'float'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'string'; value: string }
  /** null = unknown rank; -1 marks an unknown dimension. */
  | { type: 'shape'; value: readonly number[] | null }
  | { type: 'ints'; value: readonly number[] }
  | { type: 'floats'; value: readonly number[] }
  | { type: 'dtypes'; value: readonly GraphDtype[] }
  | { type: 'tensor'; value: HostTensor };

export interface OperationDef {
  /** A TensorFlow op type, e.g. 'Conv2D'. */
  op: string;
  /** Unique in the graph. */
  name: string;
  /** In the op's input order; an array of refs fills a list input (ConcatV2's `values`, AddN's `inputs`). */
  inputs: readonly (OutputRef | readonly OutputRef[])[];
  attrs?: Readonly<Record<string, AttrValue>>;
  /** Operations that must run before this one (by name). */
  controlInputs?: readonly string[];
}

/** Opaque handles owned by the addon (freed by closeSession / garbage collection). */
export interface GraphHandle { readonly __graph: unique symbol }
export interface SessionHandle { readonly __session: unique symbol }

export interface SessionOptions {
  /** 0 = TensorFlow's default (one per core). */
  intraOpThreads?: number;
  interOpThreads?: number;
}

export interface StrataGraphBinding {
  /** The libtensorflow version the addon runs against (TF_Version()). */
  tfVersion(): string;
  newGraph(): GraphHandle;
  /** Adds one operation; returns its number of outputs. Throws TensorFlow's message, naming the op. */
  addOperation(graph: GraphHandle, def: OperationDef): number;
  /**
   * d(sum of ys)/d(xs) via TensorFlow's registered gradients (TF_AddGradientsWithPrefix);
   * `dxs` are optional initial gradients for ys. Returns one ref per x.
   */
  addGradients(graph: GraphHandle, prefix: string, ys: readonly OutputRef[], xs: readonly OutputRef[], dxs?: readonly OutputRef[] | null): OutputRef[];
  /** The statically known shape of an output (-1 for unknown dims), or null when the rank is unknown. */
  outputShape(graph: GraphHandle, output: OutputRef): number[] | null;
  newSession(graph: GraphHandle, options?: SessionOptions): SessionHandle;
  /** One TF_SessionRun: feeds, then fetches (returned in order) and target operations (by name). */
  run(session: SessionHandle, feeds: readonly (readonly [OutputRef, HostTensor])[], fetches: readonly OutputRef[], targets?: readonly string[]): HostTensor[];
  closeSession(session: SessionHandle): void;
}
