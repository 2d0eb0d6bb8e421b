import { flattenBlocks } from '../../../../src-shared/graph/graph-blocks.ts';
import type { ModelSpec } from '../../../../src-shared/spec/model-spec.ts';
import { paddingMaskFlow } from './onnx-mask-flow.ts';

/** Whether a layer kind exports to ONNX, and as what (or why not). */
export type OnnxLayerSupport = { supported: true; onnx: string } | { supported: false; why: string };

const NHWC = 'between Transposes to channels-first and back';
const STEPWISE = '(written out step by step for activations onnxruntime\'s recurrent ops lack, or a mask_zero padding mask)';

/**
 * Every catalog kind and what the ONNX export writes for it (a test holds this table
 * against LAYER_CATALOG and the converters). Tensors keep tfjs' channels-last layout.
 */
export const ONNX_LAYER_SUPPORT: Readonly<Record<string, OnnxLayerSupport>> = {
  Input: { supported: true, onnx: 'a float32 graph input with a dynamic batch axis' },
  Dense: { supported: true, onnx: 'MatMul + Add, then its activation' },
  Conv1D: { supported: true, onnx: `Conv (with dilations) ${NHWC}` },
  Conv2D: { supported: true, onnx: `Conv ${NHWC}` },
  Conv2DTranspose: { supported: true, onnx: `ConvTranspose (pads and output_padding giving tfjs' output size) ${NHWC}` },
  DepthwiseConv2D: { supported: true, onnx: `Conv with one group per channel ${NHWC}` },
  SeparableConv2D: { supported: true, onnx: `grouped Conv, then a 1×1 Conv ${NHWC}` },
  MaxPooling1D: { supported: true, onnx: `MaxPool ${NHWC}` },
  AveragePooling1D: { supported: true, onnx: `AveragePool (padding not counted) ${NHWC}` },
  MaxPooling2D: { supported: true, onnx: `MaxPool ${NHWC}` },
  AveragePooling2D: { supported: true, onnx: `AveragePool (padding not counted) ${NHWC}` },
  GlobalAveragePooling1D: { supported: true, onnx: 'ReduceMean over the steps' },
  GlobalMaxPooling1D: { supported: true, onnx: 'ReduceMax over the steps' },
  GlobalAveragePooling2D: { supported: true, onnx: 'ReduceMean over height and width' },
  GlobalMaxPooling2D: { supported: true, onnx: 'ReduceMax over height and width' },
  Flatten: { supported: true, onnx: 'Flatten of the channels-last tensor (the order Dense was trained on)' },
  Reshape: { supported: true, onnx: 'Reshape' },
  Permute: { supported: true, onnx: 'Transpose' },
  RepeatVector: { supported: true, onnx: 'Unsqueeze + Tile' },
  UpSampling2D: { supported: true, onnx: `Resize (asymmetric coordinates, nearest floor or linear) ${NHWC}` },
  ZeroPadding2D: { supported: true, onnx: 'Pad' },
  Cropping2D: { supported: true, onnx: 'Slice' },
  Dropout: { supported: true, onnx: 'Identity (dropout only acts in training)' },
  SpatialDropout1D: { supported: true, onnx: 'Identity (dropout only acts in training)' },
  SpatialDropout2D: { supported: true, onnx: 'Identity (dropout only acts in training)' },
  Activation: { supported: true, onnx: 'the activation\'s op (gelu via Erf, swish as x·Sigmoid(x))' },
  LeakyReLU: { supported: true, onnx: 'LeakyRelu' },
  BatchNormalization: { supported: true, onnx: 'Mul + Add with the moving statistics folded in, along the layer\'s axis' },
  LayerNormalization: { supported: true, onnx: 'LayerNormalization on the last axis; ReduceMean, Sub, Div, … on another' },
  Rescaling: { supported: true, onnx: 'Mul + Add' },
  Embedding: { supported: true, onnx: 'Cast of the float ids to int64, then Gather; mask_zero\'s padding mask goes to the recurrent layers reading it' },
  SimpleRNN: { supported: true, onnx: `RNN ${STEPWISE}` },
  LSTM: { supported: true, onnx: `LSTM with tfjs' gates reordered ${STEPWISE}` },
  GRU: { supported: true, onnx: `GRU, linear_before_reset = 0 as tfjs computes it ${STEPWISE}` },
  Bidirectional: { supported: true, onnx: 'the recurrent op with direction = bidirectional, then Concat / Add / Mul as merge_mode says' },
  Add: { supported: true, onnx: 'Add' },
  Multiply: { supported: true, onnx: 'Mul' },
  Average: { supported: true, onnx: 'Add, then Mul by 1/n' },
  Maximum: { supported: true, onnx: 'Max' },
  Concatenate: { supported: true, onnx: 'Concat' },
};

/** A layer the ONNX export cannot write, with its class and the reason in words. */
export interface OnnxUnsupportedLayer {
  layer: string;
  className: string;
  why: string;
}

/**
 * The layers of a spec (blocks flattened) that stop an ONNX export: kinds the table marks
 * unsupported or does not know, and configurations whose tfjs behaviour ONNX cannot repeat.
 */
export function onnxUnsupportedLayers(spec: ModelSpec): OnnxUnsupportedLayer[] {
  const flat = flattenBlocks(spec);
  const kinds = flat.config.layers.flatMap((l): OnnxUnsupportedLayer[] => {
    const support = ONNX_LAYER_SUPPORT[l.class_name];
    if (!support) return [{ layer: l.name, className: l.class_name, why: `the ONNX export has no mapping for the layer kind "${l.class_name}"; replace it with a layer from the palette to export to ONNX` }];
    return support.supported ? [] : [{ layer: l.name, className: l.class_name, why: support.why }];
  });
  return [...kinds, ...paddingMaskFlow(flat).problems];
}

/** The sentence an export error shows: each layer, its class and why. */
export function describeUnsupported(layers: readonly OnnxUnsupportedLayer[]): string {
  return layers.map((l) => `${l.layer} (${l.className}): ${l.why}`).join('; ');
}
