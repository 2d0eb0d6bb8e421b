import type { LayerBuilder } from './tfjs-builder.ts';

/** tfjs construction of the sequence kinds (catalog-sequence.ts), keyed by Keras class name. */
export const SEQUENCE_TFJS_BUILDERS: Readonly<Record<string, LayerBuilder>> = {};
