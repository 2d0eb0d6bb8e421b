import * as tf from '@tensorflow/tfjs';
import {
  convGeometry,
  convolveUpsampledDy,
  correlateWithDy,
  withWasmScope,
  type Shape4,
} from './wasm-kernel-scope.ts';

function requireNhwc(kernel: string, dataFormat: string | undefined): void {
  if (dataFormat !== undefined && dataFormat !== 'NHWC') {
    throw new Error(`${kernel} on the wasm backend supports only dataFormat 'NHWC', got '${dataFormat}'.`);
  }
}

/**
 * dW[i,j,c,o] = Σ_{n,y,x} xpad[n, y·s + i, x·s + j, c] · dy[n,y,x,o], computed by XNNPACK's
 * convolution (the stock wasm Conv2D) instead of a scalar loop: the batch becomes the
 * reduction channel, x's channels become the conv batch, dy becomes the filter.
 */
export const conv2DBackpropFilterWasm: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  requireNhwc('Conv2DBackpropFilter', dataFormat);
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as Shape4, filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast');
  const g = convGeometry(info);
  return withWasmScope(backend, (scope) => {
    const image = scope.transpose(x, [3, 1, 2, 0]); // [Ci, H, W, N]
    const dyFilter = scope.transpose(dy, [1, 2, 0, 3]); // [Ho, Wo, N, Co]
    const grad = correlateWithDy(scope, 'Conv2D', image, dyFilter, g, g.filterHeight, g.filterWidth);
    return scope.transpose(grad, [1, 2, 0, 3]); // [Ci, kh, kw, Co] → [kh, kw, Ci, Co]
  });
};

/**
 * A drop-in for the stock wasm Conv2DBackpropInput, which is a scalar C++ loop (about 10×
 * slower than XNNPACK's forward conv on mnist-sized layers): a stride-1 conv of the
 * zero-upsampled dy with the flipped, in/out-swapped filter.
 */
export const conv2DBackpropInputWasm: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as tf.Conv2DBackpropInputAttrs;
  requireNhwc('Conv2DBackpropInput', dataFormat);
  const info = tf.backend_util.computeConv2DInfo(
    inputShape, filter.shape as Shape4, strides, 1, pad, dimRoundingMode, false, 'channelsLast');
  const g = convGeometry(info);
  return withWasmScope(backend, (scope) => {
    const flipped = scope.run('Reverse', { x: filter }, { dims: [0, 1] });
    const swapped = scope.transpose(flipped, [0, 1, 3, 2]); // [kh, kw, Co, Ci]
    return convolveUpsampledDy(scope, 'Conv2D', dy, swapped, g);
  });
};
