import type { LayerKind } from './layer-kind.ts';

/** The catalog's sequence kinds, in palette order within each category (layer-catalog.ts lists them). */
export const SEQUENCE_KINDS: readonly LayerKind[] = [];
