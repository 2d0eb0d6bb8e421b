import * as tf from '@tensorflow/tfjs';
import {
  convGeometry,
  convolveUpsampledDy,
  correlateWithDy,
  withWasmScope,
  type Shape4,
} from './wasm-kernel-scope.ts';

/**
 * dW[i,j,c,q] = Σ_{n,y,x} xpad[n, y·s + i·d, x·s + j·d, c] · dy[n,y,x,c·m+q].
 * Channels never mix, so folding the batch into the channels (n·C + c) turns this into a
 * single depthwise conv with dy as an [Ho, Wo, N·C, m] filter; the batch is then summed
 * out. That keeps the work at exactly the cost of the forward pass (no C-fold waste from
 * a dense conv with a block-diagonal filter) and still runs in XNNPACK.
 */
export const depthwiseConv2dNativeBackpropFilterWasm: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { strides, dilations, pad, dimRoundingMode, filterShape } =
    attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as Shape4, filterShape, strides, dilations ?? 1, pad, dimRoundingMode, true, 'channelsLast');
  const g = convGeometry(info);
  const [n, h, w, c] = x.shape as Shape4;
  const [kh, kw, , m] = filterShape;
  const [, dyRows, dyCols] = dy.shape as Shape4;
  return withWasmScope(backend, (scope) => {
    const xt = n === 1 ? x : scope.transpose(x, [1, 2, 0, 3]); // [H, W, N, C]
    const image = scope.reshape(xt, [1, h, w, n * c]);
    const dyt = n === 1 ? dy : scope.transpose(dy, [1, 2, 0, 3]); // [Ho, Wo, N, C·m]
    const dyFilter = scope.reshape(dyt, [dyRows, dyCols, n * c, m]);
    const grad = correlateWithDy(scope, 'DepthwiseConv2dNative', image, dyFilter, g, kh, kw); // [1, kh, kw, N·C·m]
    const perImage = scope.reshape(grad, [kh, kw, n, c * m]);
    const summed = n === 1 ? perImage : scope.run('Sum', { x: perImage }, { axis: [2], keepDims: false });
    return scope.reshape(summed, [kh, kw, c, m]);
  });
};

/**
 * dx[n,h,w,c] = Σ_{q,i,j} dy_up[n, h − lead + i·d, w − lead + j·d, c·m+q] · flip(f)[i,j,c,q]:
 * a stride-1 depthwise conv (multiplier 1 over all C·m channels) of the zero-upsampled dy
 * with the flipped filter, then the m multiplier channels of each input channel summed.
 */
export const depthwiseConv2dNativeBackpropInputWasm: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const { strides, dilations, pad, dimRoundingMode, inputShape } =
    attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs;
  const info = tf.backend_util.computeConv2DInfo(
    inputShape, filter.shape as Shape4, strides, dilations ?? 1, pad, dimRoundingMode, true, 'channelsLast');
  const g = convGeometry(info);
  const [n, h, w, c] = inputShape;
  const [kh, kw, , m] = filter.shape as Shape4;
  return withWasmScope(backend, (scope) => {
    const flipped = scope.run('Reverse', { x: filter }, { dims: [0, 1] });
    const perChannel = scope.reshape(flipped, [kh, kw, c * m, 1]);
    const dx = convolveUpsampledDy(scope, 'DepthwiseConv2dNative', dy, perChannel, g); // [N, H, W, C·m]
    if (m === 1) return dx;
    const split = scope.reshape(dx, [n, h, w, c, m]);
    return scope.run('Sum', { x: split }, { axis: [4], keepDims: false });
  });
};
