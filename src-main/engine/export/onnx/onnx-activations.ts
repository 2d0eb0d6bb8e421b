import type { ActivationName } from '../../../../src-shared/layers/layer-params.ts';
import { attr, type OnnxGraph } from './onnx-graph.ts';

/**
 * Strata's activations as ONNX nodes, each written the way tfjs 4.22 computes it
 * (tfjs-layers/src/activations.ts), so rounding matches as closely as float32 allows.
 */

// tf.selu's constants (tfjs-core/src/ops/selu_util.ts); ONNX's Selu defaults are the same
// numbers rounded differently, so say them explicitly.
const SELU_SCALE = 1.0507009873554804934193349852946;
const SELU_ALPHA = 1.6732632423543772848170429916717;

/** Applies `activation` to tensor x; 'linear' writes nothing and returns x. */
export function applyActivation(g: OnnxGraph, x: string, activation: ActivationName, scope: string): string {
  const at = (op: string) => `${scope}/${op}`;
  switch (activation) {
    case 'linear': return x;
    case 'relu': return g.op('Relu', [x], [], at('relu'));
    case 'sigmoid': return g.op('Sigmoid', [x], [], at('sigmoid'));
    case 'tanh': return g.op('Tanh', [x], [], at('tanh'));
    // tfjs' softmax activation works on the last axis, which NHWC keeps as the channels.
    case 'softmax': return g.op('Softmax', [x], [attr.int('axis', -1)], at('softmax'));
    case 'elu': return g.op('Elu', [x], [attr.float('alpha', 1)], at('elu'));
    case 'selu': return g.op('Selu', [x], [attr.float('alpha', SELU_ALPHA), attr.float('gamma', SELU_SCALE)], at('selu'));
    case 'softplus': return g.op('Softplus', [x], [], at('softplus'));
    // swish(x) = sigmoid(x) · x
    case 'swish': return g.op('Mul', [g.op('Sigmoid', [x], [], at('swish_sigmoid')), x], [], at('swish'));
    // gelu(x) = x · 0.5 · (1 + erf(x / √2)), the exact form (ONNX's Gelu op needs opset 20).
    case 'gelu': {
      const erf = g.op('Erf', [g.op('Div', [x, g.float(Math.SQRT2)], [], at('gelu_scaled'))], [], at('gelu_erf'));
      const cdf = g.op('Mul', [g.float(0.5), g.op('Add', [g.float(1), erf], [], at('gelu_1p'))], [], at('gelu_cdf'));
      return g.op('Mul', [x, cdf], [], at('gelu'));
    }
    default: {
      const never: never = activation;
      throw new Error(`no ONNX form for the activation ${String(never)}`);
    }
  }
}

/**
 * An activation as the ONNX recurrent ops (RNN, LSTM, GRU) name it inside their cells,
 * with its alpha/beta, or null where onnxruntime's recurrent kernels have no such
 * function (the layer is then written out step by step instead).
 */
export interface RecurrentActivation {
  name: string;
  alpha?: number;
  beta?: number;
}

export function recurrentActivation(activation: ActivationName): RecurrentActivation | null {
  switch (activation) {
    case 'linear': return { name: 'Affine', alpha: 1, beta: 0 };
    case 'relu': return { name: 'Relu' };
    case 'sigmoid': return { name: 'Sigmoid' };
    case 'tanh': return { name: 'Tanh' };
    case 'elu': return { name: 'Elu', alpha: 1 };
    case 'softplus': return { name: 'Softplus' };
    default: return null; // softmax, selu, swish, gelu
  }
}
