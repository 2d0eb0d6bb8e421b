import { Conv1DParamsSchema, Conv2DTransposeParamsSchema, DepthwiseConv2DParamsSchema, SeparableConv2DParamsSchema } from '../../../src-shared/layers/conv-variants.ts';
import { GlobalMaxPooling2DKind, Pooling1DParamsSchema } from '../../../src-shared/layers/pooling-more.ts';
import { Cropping2DParamsSchema, UpSampling2DParamsSchema, ZeroPadding2DParamsSchema } from '../../../src-shared/layers/resize-pad-crop.ts';
import { builder, type LayerBuilder } from './tfjs-builder.ts';

const noParams = GlobalMaxPooling2DKind.params;

/** tfjs construction of the spatial kinds (catalog-spatial.ts), keyed by Keras class name. */
export const SPATIAL_TFJS_BUILDERS: Readonly<Record<string, LayerBuilder>> = {
  Conv1D: builder(Conv1DParamsSchema, (tf, name, p, apply) => apply(tf.layers.conv1d({
    name, filters: p.filters, kernelSize: p.kernel_size, strides: p.strides, padding: p.padding,
    dilationRate: p.dilation_rate, activation: p.activation, useBias: p.use_bias,
  }))),
  Conv2DTranspose: builder(Conv2DTransposeParamsSchema, (tf, name, p, apply) => apply(tf.layers.conv2dTranspose({
    name, filters: p.filters, kernelSize: [...p.kernel_size], strides: [...p.strides], padding: p.padding, activation: p.activation, useBias: p.use_bias,
  }))),
  DepthwiseConv2D: builder(DepthwiseConv2DParamsSchema, (tf, name, p, apply) => apply(tf.layers.depthwiseConv2d({
    name, kernelSize: [...p.kernel_size], strides: [...p.strides], padding: p.padding, depthMultiplier: p.depth_multiplier, activation: p.activation, useBias: p.use_bias,
  }))),
  SeparableConv2D: builder(SeparableConv2DParamsSchema, (tf, name, p, apply) => apply(tf.layers.separableConv2d({
    name, filters: p.filters, kernelSize: [...p.kernel_size], strides: [...p.strides], padding: p.padding, depthMultiplier: p.depth_multiplier, activation: p.activation, useBias: p.use_bias,
  }))),
  MaxPooling1D: builder(Pooling1DParamsSchema, (tf, name, p, apply) => apply(tf.layers.maxPooling1d({ name, poolSize: p.pool_size, strides: p.strides ?? p.pool_size, padding: p.padding }))),
  AveragePooling1D: builder(Pooling1DParamsSchema, (tf, name, p, apply) => apply(tf.layers.averagePooling1d({ name, poolSize: p.pool_size, strides: p.strides ?? p.pool_size, padding: p.padding }))),
  GlobalAveragePooling1D: builder(noParams, (tf, name, _p, apply) => apply(tf.layers.globalAveragePooling1d({ name }))),
  GlobalMaxPooling1D: builder(noParams, (tf, name, _p, apply) => apply(tf.layers.globalMaxPooling1d({ name }))),
  GlobalMaxPooling2D: builder(noParams, (tf, name, _p, apply) => apply(tf.layers.globalMaxPooling2d({ name }))),
  UpSampling2D: builder(UpSampling2DParamsSchema, (tf, name, p, apply) => apply(tf.layers.upSampling2d({ name, size: [...p.size], interpolation: p.interpolation }))),
  ZeroPadding2D: builder(ZeroPadding2DParamsSchema, (tf, name, p, apply) => apply(tf.layers.zeroPadding2d({ name, padding: p.padding }))),
  Cropping2D: builder(Cropping2DParamsSchema, (tf, name, p, apply) => apply(tf.layers.cropping2D({ name, cropping: p.cropping }))),
};
