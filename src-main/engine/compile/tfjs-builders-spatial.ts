import type { LayerBuilder } from './tfjs-builder.ts';

/** tfjs construction of the spatial kinds (catalog-spatial.ts), keyed by Keras class name. */
export const SPATIAL_TFJS_BUILDERS: Readonly<Record<string, LayerBuilder>> = {};
