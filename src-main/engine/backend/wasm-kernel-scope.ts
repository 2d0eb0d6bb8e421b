import * as tf from '@tensorflow/tfjs';

/** The one part of tfjs-backend-wasm's BackendWasm these kernels rely on. */
export interface WasmBackendLike {
  disposeData(dataId: tf.DataId, force?: boolean): boolean;
}

export type Shape4 = [number, number, number, number];

/** What each kernel needs from a `computeConv2DInfo` result (NHWC, padding resolved to numbers). */
export interface ConvGeometry {
  readonly batch: number;
  readonly inHeight: number;
  readonly inWidth: number;
  readonly strideHeight: number;
  readonly strideWidth: number;
  readonly dilationHeight: number;
  readonly dilationWidth: number;
  readonly filterHeight: number;
  readonly filterWidth: number;
  readonly padTop: number;
  readonly padLeft: number;
}

/**
 * Runs stock wasm kernels on behalf of one composite kernel and frees every intermediate
 * when the composite returns. Each stock kernel's output owns one reference to its data
 * (Reshape shares the buffer but bumps the ref count), so disposing each output exactly
 * once is always right, whether or not buffers are shared.
 */
export class WasmKernelScope {
  private readonly temps: tf.TensorInfo[] = [];

  constructor(private readonly backend: WasmBackendLike) {}

  run(kernelName: string, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap = {}): tf.TensorInfo {
    // Looked up per call rather than captured at import: the wasm backend may be registered
    // (and its kernels' setup run) after this module loads.
    const config = tf.getKernel(kernelName, 'wasm');
    if (!config) throw new Error(`Strata's wasm gradient kernels need the stock wasm kernel '${kernelName}', which is not registered.`);
    const out = config.kernelFunc({ inputs, backend: this.backend, attrs });
    if (Array.isArray(out)) throw new Error(`wasm kernel '${kernelName}' returned several outputs where one was expected.`);
    this.temps.push(out);
    return out;
  }

  reshape(x: tf.TensorInfo, shape: number[]): tf.TensorInfo {
    return this.run('Reshape', { x }, { shape });
  }

  transpose(x: tf.TensorInfo, perm: number[]): tf.TensorInfo {
    return this.run('Transpose', { x }, { perm });
  }

  /** Slices only when `size` differs from x's shape, which is the common case avoided. */
  sliceIfNeeded(x: tf.TensorInfo, begin: number[], size: number[]): tf.TensorInfo {
    const same = begin.every((b) => b === 0) && size.every((s, i) => s === x.shape[i]);
    return same ? x : this.run('Slice', { x }, { begin, size });
  }

  /** Hands `result` to the caller: it survives `dispose()`. */
  keep(result: tf.TensorInfo): tf.TensorInfo {
    const i = this.temps.lastIndexOf(result);
    if (i < 0) throw new Error('WasmKernelScope.keep: result was not produced in this scope');
    this.temps.splice(i, 1);
    return result;
  }

  dispose(): void {
    for (const t of this.temps) this.backend.disposeData(t.dataId);
    this.temps.length = 0;
  }
}

/** Runs `body` in a fresh scope and returns its result with every intermediate freed, even on error. */
export function withWasmScope(backend: {}, body: (scope: WasmKernelScope) => tf.TensorInfo): tf.TensorInfo {
  const scope = new WasmKernelScope(backend as WasmBackendLike);
  try {
    return scope.keep(body(scope));
  } finally {
    scope.dispose();
  }
}

export function convGeometry(info: tf.backend_util.Conv2DInfo): ConvGeometry {
  if (info.dataFormat !== 'channelsLast') {
    throw new Error(`Strata's wasm gradient kernels support only NHWC (channelsLast) data, got ${info.dataFormat}.`);
  }
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    dilationHeight: info.dilationHeight,
    dilationWidth: info.dilationWidth,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

export function explicitPad(top: number, bottom: number, left: number, right: number): tf.backend_util.ExplicitPadding {
  return [[0, 0], [top, bottom], [left, right], [0, 0]];
}

/**
 * Filter gradient of a forward convolution, as one forward convolution: correlating the
 * input with dy over the batch is a conv whose "image" is x with batch and channels
 * swapped and whose "filter" is dy. The forward stride spaces dy's taps (so it becomes the
 * dilation) and the forward dilation spaces the filter taps (so it becomes the stride).
 * Used by both conv2d (`kernelName` Conv2D) and depthwise (DepthwiseConv2dNative, where
 * the caller has folded the batch into the channels). Returns [outRows, outCols, ...] in the
 * layout of the chosen kernel's output: [imgBatch, kh, kw, outChannels].
 */
export function correlateWithDy(
  scope: WasmKernelScope,
  kernelName: 'Conv2D' | 'DepthwiseConv2dNative',
  image: tf.TensorInfo,
  dyAsFilter: tf.TensorInfo,
  g: ConvGeometry,
  outRows: number,
  outCols: number,
): tf.TensorInfo {
  const dyRows = dyAsFilter.shape[0] ?? 0;
  const dyCols = dyAsFilter.shape[1] ?? 0;
  // Pad the far edge just enough to reach the last filter tap; forward padding can be more
  // than needed (or, with dimRoundingMode 'ceil', less), so it is recomputed here.
  const bottom = Math.max(0, (dyRows - 1) * g.strideHeight + (g.filterHeight - 1) * g.dilationHeight + 1 - g.inHeight - g.padTop);
  const right = Math.max(0, (dyCols - 1) * g.strideWidth + (g.filterWidth - 1) * g.dilationWidth + 1 - g.inWidth - g.padLeft);
  const conv = scope.run(kernelName, { x: image, filter: dyAsFilter }, {
    strides: [g.dilationHeight, g.dilationWidth],
    dilations: [g.strideHeight, g.strideWidth],
    pad: explicitPad(g.padTop, bottom, g.padLeft, right),
    dataFormat: 'NHWC',
  });
  const [b = 0, , , c = 0] = conv.shape;
  return scope.sliceIfNeeded(conv, [0, 0, 0, 0], [b, outRows, outCols, c]);
}

/**
 * Input gradient of a strided, padded, dilated convolution, as a stride-1 forward
 * convolution of the zero-upsampled dy with the spatially flipped filter (`flippedFilter`,
 * already in the layout `kernelName` expects). Returns [batch, inHeight, inWidth, channels].
 */
export function convolveUpsampledDy(
  scope: WasmKernelScope,
  kernelName: 'Conv2D' | 'DepthwiseConv2dNative',
  dy: tf.TensorInfo,
  flippedFilter: tf.TensorInfo,
  g: ConvGeometry,
): tf.TensorInfo {
  const [n = 0, dyRows = 0, dyCols = 0, k = 0] = dy.shape;
  let up = dy;
  if (g.strideHeight > 1 || g.strideWidth > 1) {
    // Zero-insertion as reshape → pad → reshape: one native pad instead of a scatter.
    const six = scope.reshape(dy, [n, dyRows, 1, dyCols, 1, k]);
    const padded = scope.run('PadV2', { x: six }, {
      paddings: [[0, 0], [0, 0], [0, g.strideHeight - 1], [0, 0], [0, g.strideWidth - 1], [0, 0]],
      constantValue: 0,
    });
    up = scope.reshape(padded, [n, dyRows * g.strideHeight, dyCols * g.strideWidth, k]);
  }
  const upRows = up.shape[1] ?? 0;
  const upCols = up.shape[2] ?? 0;
  const effH = (g.filterHeight - 1) * g.dilationHeight + 1;
  const effW = (g.filterWidth - 1) * g.dilationWidth + 1;
  // dx[h] reads up[h - lead + tap]; a negative lead (explicit padding wider than the filter)
  // cannot be expressed as padding, so pad by max(lead, 0) and drop the extra leading rows.
  const leadH = effH - 1 - g.padTop;
  const leadW = effW - 1 - g.padLeft;
  const top = Math.max(0, leadH);
  const left = Math.max(0, leadW);
  const bottom = Math.max(0, g.inHeight + g.padTop - upRows);
  const right = Math.max(0, g.inWidth + g.padLeft - upCols);
  const conv = scope.run(kernelName, { x: up, filter: flippedFilter }, {
    strides: [1, 1],
    dilations: [g.dilationHeight, g.dilationWidth],
    pad: explicitPad(top, bottom, left, right),
    dataFormat: 'NHWC',
  });
  const c = conv.shape[3] ?? 0;
  return scope.sliceIfNeeded(conv, [0, top - leadH, left - leadW, 0], [n, g.inHeight, g.inWidth, c]);
}
