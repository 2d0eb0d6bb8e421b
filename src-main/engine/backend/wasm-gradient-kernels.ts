import * as tf from '@tensorflow/tfjs';
import { conv2DBackpropFilterWasm, conv2DBackpropInputWasm } from './wasm-conv2d-grad.ts';
import {
  depthwiseConv2dNativeBackpropFilterWasm,
  depthwiseConv2dNativeBackpropInputWasm,
} from './wasm-depthwise-grad.ts';

/**
 * Gradient kernels tfjs-backend-wasm 4.22 lacks, without which no conv net can train on
 * wasm. Each is composed from stock wasm kernels (XNNPACK convolutions plus layout
 * shuffles), so they run natively and share the backend's memory management.
 */
export const WASM_GRADIENT_KERNELS: readonly string[] = Object.freeze([
  'Conv2DBackpropFilter',
  'DepthwiseConv2dNativeBackpropFilter',
  'DepthwiseConv2dNativeBackpropInput',
]);

const implementations: Readonly<Record<string, tf.KernelFunc>> = {
  Conv2DBackpropFilter: conv2DBackpropFilterWasm,
  DepthwiseConv2dNativeBackpropFilter: depthwiseConv2dNativeBackpropFilterWasm,
  DepthwiseConv2dNativeBackpropInput: depthwiseConv2dNativeBackpropInputWasm,
};

function isRegistered(kernelName: string): boolean {
  return tf.getKernel(kernelName, 'wasm') !== undefined;
}

/**
 * Registers Strata's implementations of WASM_GRADIENT_KERNELS for the 'wasm' backend.
 * Idempotent, and defers to any kernel already registered (a later tfjs-backend-wasm that
 * ships its own wins). Returns the names it registered. Works before or after the wasm
 * backend is initialised: these kernels need no setup of their own.
 */
export function registerWasmGradientKernels(): string[] {
  const registered: string[] = [];
  for (const kernelName of WASM_GRADIENT_KERNELS) {
    const kernelFunc = implementations[kernelName];
    if (!kernelFunc || isRegistered(kernelName)) continue;
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc });
    registered.push(kernelName);
  }
  return registered;
}

/**
 * Opt-in: replaces the stock wasm Conv2DBackpropInput (a scalar C++ loop, the slowest step
 * of training a conv net on wasm) with an XNNPACK-backed composition. Not part of
 * registerWasmGradientKernels because it overrides a kernel the backend does ship.
 * Returns false when already replaced or when the wasm backend is not loaded.
 */
export function replaceWasmConv2DBackpropInput(): boolean {
  const stock = tf.getKernel('Conv2DBackpropInput', 'wasm');
  if (!stock || stock.kernelFunc === conv2DBackpropInputWasm) return false;
  tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
  tf.registerKernel({ kernelName: 'Conv2DBackpropInput', backendName: 'wasm', kernelFunc: conv2DBackpropInputWasm });
  return true;
}
