import type * as tfType from '@tensorflow/tfjs';
import { analyzeGraph } from '../../../src-shared/graph/analyze-graph.ts';
import type { ModelSpec } from '../../../src-shared/spec/model-spec.ts';
import type { Tf } from '../backend/load-engine-backend.ts';

/** A non-negative attribution per input pixel, row-major `height × width`, max 1. */
export interface AttributionMap {
  width: number;
  height: number;
  map: Float32Array;
}

function normalise(tf: Tf, t: tfType.Tensor2D): AttributionMap {
  const [height, width] = t.shape;
  const values = tf.tidy(() => {
    const max = t.max();
    return t.div(tf.maximum(max, tf.scalar(1e-12)));
  });
  const map = values.dataSync() as Float32Array;
  values.dispose();
  return { width, height, map: new Float32Array(map) };
}

/** Vanilla gradient saliency: |∂ score_class / ∂ pixel|, the max over channels. */
export function vanillaGradient(tf: Tf, model: tfType.LayersModel, x: tfType.Tensor4D, classIndex: number): AttributionMap {
  const saliency = tf.tidy(() => {
    const grad = tf.grad((input: tfType.Tensor) => (model.apply(input) as tfType.Tensor2D).gather([classIndex], 1).sum())(x);
    return grad.abs().max(-1).squeeze([0]) as tfType.Tensor2D;
  });
  try {
    return normalise(tf, saliency);
  } finally {
    saliency.dispose();
  }
}

/** The last Conv2D in topological order: Grad-CAM's default layer (coarsest, most semantic). */
export function lastConvLayer(spec: ModelSpec): string | null {
  const { order, nodes } = analyzeGraph(spec);
  const convs = order.filter((name) => nodes[name]?.className === 'Conv2D');
  return convs.at(-1) ?? null;
}

/**
 * Rebuilds the graph downstream of `convName` as a model that takes the conv activation as
 * an input (next to the image, for branches that bypass the conv), sharing the trained
 * layers. Works for any DAG the canvas can draw, not only plain stacks.
 */
function headFromConv(tf: Tf, model: tfType.LayersModel, spec: ModelSpec, convName: string): tfType.LayersModel {
  const { order, outputs } = analyzeGraph(spec);
  const byName = new Map(spec.config.layers.map((l) => [l.name, l]));
  const convLayer = model.getLayer(convName);
  const imageIn = tf.input({ shape: (model.inputs[0]!.shape as number[]).slice(1) });
  const activationIn = tf.input({ shape: (convLayer.outputShape as number[]).slice(1) });
  const values = new Map<string, tfType.SymbolicTensor>();
  for (const name of order) {
    const layer = byName.get(name)!;
    if (name === convName) values.set(name, activationIn);
    else if (layer.class_name === 'Input') values.set(name, imageIn);
    else {
      const ins = layer.inbound.map((n) => values.get(n)!);
      values.set(name, model.getLayer(name).apply(ins.length === 1 ? ins[0]! : ins) as tfType.SymbolicTensor);
    }
  }
  return tf.model({ inputs: [imageIn, activationIn], outputs: values.get(outputs[0]!)! });
}

/**
 * Grad-CAM (Selvaraju et al.): weights each channel of a conv layer's activation by the mean
 * gradient of the class score, sums, keeps the positive part and upsamples to the input.
 */
export function gradCam(tf: Tf, model: tfType.LayersModel, spec: ModelSpec, x: tfType.Tensor4D, classIndex: number, convName: string): AttributionMap {
  const head = headFromConv(tf, model, spec, convName);
  const convModel = tf.model({ inputs: model.inputs, outputs: model.getLayer(convName).output as tfType.SymbolicTensor });
  const cam = tf.tidy(() => {
    const activation = convModel.predict(x) as tfType.Tensor4D;
    const grads = tf.grad((a: tfType.Tensor) => (head.apply([x, a]) as tfType.Tensor2D).gather([classIndex], 1).sum())(activation);
    const channelWeights = grads.mean([1, 2], true);
    const weighted = tf.relu(activation.mul(channelWeights).sum(-1, true)) as tfType.Tensor4D;
    const [, h, w] = x.shape;
    return tf.image.resizeBilinear(weighted, [h, w]).squeeze([0, 3]) as tfType.Tensor2D;
  });
  try {
    return normalise(tf, cam);
  } finally {
    cam.dispose();
  }
}
