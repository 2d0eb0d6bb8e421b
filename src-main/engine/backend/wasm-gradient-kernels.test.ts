import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { seededRandom } from '../../../src-shared/util/seeded-random.ts';
import {
  WASM_GRADIENT_KERNELS,
  registerWasmGradientKernels,
  replaceWasmConv2DBackpropInput,
} from './wasm-gradient-kernels.ts';

// Every kernel is checked against tfjs's pure-JS cpu kernels, which are the reference
// implementation, over seeded random geometries: batch, size, channels, kernel, stride,
// padding (valid / same / explicit / numeric with rounding) and, where tfjs allows it,
// dilation.

type Shape4 = [number, number, number, number];
type Pad = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
type Rounding = 'floor' | 'round' | 'ceil' | undefined;

const TOLERANCE = 1e-4;

function randInt(rand: () => number, lo: number, hi: number): number {
  return lo + Math.floor(rand() * (hi - lo + 1));
}

function randomValues(rand: () => number, shape: readonly number[], scale: number): Float32Array {
  const out = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < out.length; i++) out[i] = (rand() * 2 - 1) * scale;
  return out;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

interface Geometry {
  readonly x: Shape4;
  readonly filter: Shape4;
  readonly strides: [number, number];
  readonly dilations: [number, number];
  readonly pad: Pad;
  readonly rounding: Rounding;
  readonly depthwise: boolean;
}

/** A random geometry whose forward output is non-empty. */
function randomGeometry(rand: () => number, opts: { depthwise: boolean; dilate: boolean; numericPad: boolean }): Geometry {
  for (;;) {
    const n = randInt(rand, 1, 3);
    const h = randInt(rand, 5, 12);
    const w = randInt(rand, 5, 12);
    const c = randInt(rand, 1, 4);
    const out = opts.depthwise ? randInt(rand, 1, 2) : randInt(rand, 1, 4);
    const kh = randInt(rand, 1, 4);
    const kw = randInt(rand, 1, 4);
    // tfjs forbids stride > 1 together with dilation > 1 in the forward ops.
    const dilate = opts.dilate && rand() < 0.7;
    const dilations: [number, number] = dilate ? [randInt(rand, 1, 2), 2] : [1, 1];
    const strides: [number, number] = dilate ? [1, 1] : [randInt(rand, 1, 3), randInt(rand, 1, 3)];
    let pad: Pad;
    let rounding: Rounding;
    if (opts.numericPad) {
      pad = randInt(rand, 0, 2);
      rounding = (['floor', 'round', 'ceil'] as const)[randInt(rand, 0, 2)];
    } else {
      const kind = randInt(rand, 0, 2);
      pad = kind === 0 ? 'valid' : kind === 1 ? 'same'
        : [[0, 0], [randInt(rand, 0, 3), randInt(rand, 0, 3)], [randInt(rand, 0, 3), randInt(rand, 0, 3)], [0, 0]];
    }
    const g: Geometry = { x: [n, h, w, c], filter: [kh, kw, c, out], strides, dilations, pad, rounding, depthwise: opts.depthwise };
    const info = convInfo(g);
    if (info.outHeight > 0 && info.outWidth > 0) return g;
  }
}

function convInfo(g: Geometry): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(g.x, g.filter, g.strides, g.dilations, g.pad, g.rounding, g.depthwise);
}

function describeGeometry(g: Geometry): string {
  return JSON.stringify({ x: g.x, f: g.filter, s: g.strides, d: g.dilations, pad: g.pad, r: g.rounding });
}

interface Data { readonly x: Float32Array; readonly filter: Float32Array; readonly dy: Float32Array }

function randomData(rand: () => number, g: Geometry): Data {
  return {
    x: randomValues(rand, g.x, 1),
    filter: randomValues(rand, g.filter, 0.5),
    dy: randomValues(rand, convInfo(g).outShape, 0.5),
  };
}

/** dx and dW of the forward op, through tf.grads (so through the engine's gradient path). */
function gradsThroughOps(g: Geometry, d: Data): { dx: Float32Array; dw: Float32Array } {
  return tf.tidy(() => {
    const x = tf.tensor4d(d.x, g.x);
    const filter = tf.tensor4d(d.filter, g.filter);
    const dy = tf.tensor4d(d.dy, convInfo(g).outShape as Shape4);
    const forward = (xi: tf.Tensor, fi: tf.Tensor): tf.Tensor => g.depthwise
      ? tf.depthwiseConv2d(xi as tf.Tensor4D, fi as tf.Tensor4D, g.strides, g.pad as 'valid', 'NHWC', g.dilations)
      : tf.conv2d(xi as tf.Tensor4D, fi as tf.Tensor4D, g.strides, g.pad as 'valid', 'NHWC', g.dilations);
    const [dx, dw] = tf.grads((xi: tf.Tensor, fi: tf.Tensor) => forward(xi, fi).mul(dy).sum())([x, filter]);
    return { dx: dx!.dataSync() as Float32Array, dw: dw!.dataSync() as Float32Array };
  });
}

function runKernel(name: string, inputs: Record<string, Float32Array>, shapes: Record<string, readonly number[]>, attrs: tf.NamedAttrMap): Float32Array {
  const tensors: tf.NamedTensorMap = {};
  for (const [k, v] of Object.entries(inputs)) tensors[k] = tf.tensor(v, shapes[k] as number[]);
  const out = tf.engine().runKernel(name, tensors, attrs) as tf.Tensor;
  const values = out.dataSync() as Float32Array;
  tf.dispose([out, ...Object.values(tensors)]);
  return values;
}

function filterGradViaKernel(g: Geometry, d: Data, filterShape: Shape4 = g.filter): Float32Array {
  const name = g.depthwise ? 'DepthwiseConv2dNativeBackpropFilter' : 'Conv2DBackpropFilter';
  const attrs: tf.NamedAttrMap = { strides: g.strides, pad: g.pad as tf.NamedAttrMap[string], filterShape };
  if (g.rounding) attrs.dimRoundingMode = g.rounding;
  if (g.depthwise) attrs.dilations = g.dilations; else attrs.dataFormat = 'NHWC';
  return runKernel(name, { x: d.x, dy: d.dy }, { x: g.x, dy: convInfo(g).outShape }, attrs);
}

function inputGradViaKernel(g: Geometry, d: Data, filter: Float32Array = d.filter, filterShape: Shape4 = g.filter): Float32Array {
  const name = g.depthwise ? 'DepthwiseConv2dNativeBackpropInput' : 'Conv2DBackpropInput';
  const attrs: tf.NamedAttrMap = { strides: g.strides, pad: g.pad as tf.NamedAttrMap[string], inputShape: g.x };
  if (g.rounding) attrs.dimRoundingMode = g.rounding;
  if (g.depthwise) attrs.dilations = g.dilations; else attrs.dataFormat = 'NHWC';
  return runKernel(name, { dy: d.dy, filter }, { dy: convInfo(g).outShape, filter: filterShape }, attrs);
}

/** The filter with (d-1) zeros between taps: an undilated filter equivalent to the dilated one. */
function expandFilter(g: Geometry, filter: Float32Array): { shape: Shape4; values: Float32Array } {
  const [kh, kw, c, m] = g.filter;
  const [dh, dw] = g.dilations;
  const shape: Shape4 = [(kh - 1) * dh + 1, (kw - 1) * dw + 1, c, m];
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) for (let k = 0; k < c * m; k++) {
    values[((i * dh) * shape[1] + j * dw) * c * m + k] = filter[(i * kw + j) * c * m + k]!;
  }
  return { shape, values };
}

/** Keeps the taps of an expanded-filter gradient that correspond to the dilated filter's taps. */
function sampleDilated(g: Geometry, expanded: Float32Array): Float32Array {
  const [kh, kw, c, m] = g.filter;
  const [dh, dw] = g.dilations;
  const ew = (kw - 1) * dw + 1;
  const out = new Float32Array(kh * kw * c * m);
  for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) for (let k = 0; k < c * m; k++) {
    out[(i * kw + j) * c * m + k] = expanded[((i * dh) * ew + j * dw) * c * m + k]!;
  }
  return out;
}

/** Runs `body` on the wasm backend and asserts it leaves no wasm buffer behind. */
function onWasmWithoutLeaks<T>(body: () => T): T {
  const backend = tf.backend() as unknown as { numDataIds(): number };
  const before = backend.numDataIds();
  const result = body();
  expect(backend.numDataIds()).toBe(before);
  return result;
}

beforeAll(async () => {
  const registered = registerWasmGradientKernels();
  expect(registered).toEqual([...WASM_GRADIENT_KERNELS]);
  expect(await tf.setBackend('wasm')).toBe(true);
  expect(await tf.setBackend('cpu')).toBe(true);
});

describe('registerWasmGradientKernels', () => {
  it('registers all three kernels on wasm once, and is a no-op the second time', () => {
    for (const name of WASM_GRADIENT_KERNELS) expect(tf.getKernel(name, 'wasm')).toBeDefined();
    expect(registerWasmGradientKernels()).toEqual([]);
  });
});

describe('gradients through tf.grads match the cpu backend', () => {
  const suites = [
    { label: 'conv2d (Conv2DBackpropFilter)', depthwise: false, seed: 11, cases: 100 },
    { label: 'depthwiseConv2d (both depthwise kernels)', depthwise: true, seed: 12, cases: 100 },
  ];
  for (const suite of suites) {
    it(suite.label, async () => {
      const rand = seededRandom(suite.seed);
      for (let i = 0; i < suite.cases; i++) {
        const g = randomGeometry(rand, { depthwise: suite.depthwise, dilate: false, numericPad: false });
        const d = randomData(rand, g);
        await tf.setBackend('cpu');
        const ref = gradsThroughOps(g, d);
        await tf.setBackend('wasm');
        const got = onWasmWithoutLeaks(() => gradsThroughOps(g, d));
        const where = describeGeometry(g);
        expect(maxAbsDiff(got.dw, ref.dw), `dW ${where}`).toBeLessThan(TOLERANCE);
        expect(maxAbsDiff(got.dx, ref.dx), `dx ${where}`).toBeLessThan(TOLERANCE);
      }
    });
  }
});

describe('kernels called directly match the cpu backend', () => {
  it('numeric padding with every dimRoundingMode', async () => {
    const rand = seededRandom(21);
    for (let i = 0; i < 60; i++) {
      const g = randomGeometry(rand, { depthwise: i % 2 === 1, dilate: false, numericPad: true });
      const d = randomData(rand, g);
      await tf.setBackend('cpu');
      const refW = filterGradViaKernel(g, d);
      const refX = g.depthwise ? inputGradViaKernel(g, d) : null;
      await tf.setBackend('wasm');
      const where = describeGeometry(g);
      expect(maxAbsDiff(onWasmWithoutLeaks(() => filterGradViaKernel(g, d)), refW), `dW ${where}`).toBeLessThan(TOLERANCE);
      if (refX) expect(maxAbsDiff(onWasmWithoutLeaks(() => inputGradViaKernel(g, d)), refX), `dx ${where}`).toBeLessThan(TOLERANCE);
    }
  });

  // The cpu depthwise backprop kernels ignore dilations (tfjs never sends them any), so the
  // reference runs them on the equivalent undilated, zero-expanded filter instead.
  it('depthwise kernels with dilation 2', async () => {
    const rand = seededRandom(31);
    let dilated = 0;
    for (let i = 0; i < 60; i++) {
      const g = randomGeometry(rand, { depthwise: true, dilate: true, numericPad: false });
      if (g.dilations[0] > 1 || g.dilations[1] > 1) dilated++;
      const d = randomData(rand, g);
      const expanded = expandFilter(g, d.filter);
      const undilated: Geometry = { ...g, filter: expanded.shape, dilations: [1, 1] };
      await tf.setBackend('cpu');
      const refW = sampleDilated(g, filterGradViaKernel(undilated, d, expanded.shape));
      const refX = inputGradViaKernel(undilated, d, expanded.values, expanded.shape);
      await tf.setBackend('wasm');
      const where = describeGeometry(g);
      expect(maxAbsDiff(onWasmWithoutLeaks(() => filterGradViaKernel(g, d)), refW), `dW ${where}`).toBeLessThan(TOLERANCE);
      expect(maxAbsDiff(onWasmWithoutLeaks(() => inputGradViaKernel(g, d)), refX), `dx ${where}`).toBeLessThan(TOLERANCE);
    }
    expect(dilated).toBeGreaterThan(20);
  });

  it('rejects NCHW with a clear error', async () => {
    await tf.setBackend('wasm');
    const x = tf.zeros([1, 2, 6, 6]);
    const dy = tf.zeros([1, 3, 4, 4]);
    expect(() => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, {
      strides: [1, 1], pad: 'valid', dataFormat: 'NCHW', filterShape: [3, 3, 2, 3],
    })).toThrow(/NHWC/);
    tf.dispose([x, dy]);
  });
});

describe('replaceWasmConv2DBackpropInput (opt-in)', () => {
  it('swaps in an XNNPACK-backed Conv2DBackpropInput that matches the cpu backend', async () => {
    expect(replaceWasmConv2DBackpropInput()).toBe(true);
    expect(replaceWasmConv2DBackpropInput()).toBe(false);
    const rand = seededRandom(41);
    for (let i = 0; i < 60; i++) {
      const g = randomGeometry(rand, { depthwise: false, dilate: false, numericPad: i % 3 === 0 });
      const d = randomData(rand, g);
      await tf.setBackend('cpu');
      const ref = inputGradViaKernel(g, d);
      await tf.setBackend('wasm');
      expect(maxAbsDiff(onWasmWithoutLeaks(() => inputGradViaKernel(g, d)), ref), `dx ${describeGeometry(g)}`).toBeLessThan(TOLERANCE);
    }
  });
});

describe('training on wasm', () => {
  it('a conv2d + depthwiseConv2d + dense model learns: the loss falls', async () => {
    await tf.setBackend('wasm');
    const rand = seededRandom(51);
    const count = 48;
    // Labels are a fixed function of the image (which quadrant is brightest), so there
    // is something to learn beyond memorisation.
    const pixels = randomValues(rand, [count, 8, 8, 2], 1);
    const labels = new Float32Array(count * 4);
    for (let s = 0; s < count; s++) {
      const sums = [0, 0, 0, 0];
      for (let r = 0; r < 8; r++) for (let c = 0; c < 8; c++) for (let ch = 0; ch < 2; ch++) {
        sums[(r < 4 ? 0 : 2) + (c < 4 ? 0 : 1)]! += pixels[((s * 8 + r) * 8 + c) * 2 + ch]!;
      }
      labels[s * 4 + sums.indexOf(Math.max(...sums))] = 1;
    }
    const init = (seed: number) => tf.initializers.glorotUniform({ seed });
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [8, 8, 2], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(1) }),
        tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same', activation: 'relu', depthwiseInitializer: init(2) }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 4, activation: 'softmax', kernelInitializer: init(3) }),
      ],
    });
    model.compile({ optimizer: tf.train.adam(0.02), loss: 'categoricalCrossentropy' });
    const xs = tf.tensor4d(pixels, [count, 8, 8, 2]);
    const ys = tf.tensor2d(labels, [count, 4]);
    const history = await model.fit(xs, ys, { epochs: 15, batchSize: 16, shuffle: false, verbose: 0 });
    const losses = history.history.loss as number[];
    tf.dispose([xs, ys]);
    model.dispose();
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses.at(-1)!).toBeLessThan(losses[0]! * 0.6);
  });
});
