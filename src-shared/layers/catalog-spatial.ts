import type { LayerKind } from './layer-kind.ts';

/** The catalog's spatial kinds, in palette order within each category (layer-catalog.ts lists them). */
export const SPATIAL_KINDS: readonly LayerKind[] = [];
