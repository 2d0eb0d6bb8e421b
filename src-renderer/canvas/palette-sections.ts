import { kindsByCategory } from '../../src-shared/layers/layer-catalog.ts';
import type { LayerCategory } from '../../src-shared/layers/layer-kind.ts';

export interface PaletteItem {
  className: string;
  help: string;
}
export interface PaletteSection {
  category: LayerCategory;
  items: PaletteItem[];
}

/** The palette's sections from the catalog, in the catalog's order. */
export function paletteSections(): PaletteSection[] {
  return kindsByCategory().map(({ category, kinds }) => ({
    category,
    items: kinds.map((k) => ({ className: k.className, help: k.help })),
  }));
}

/**
 * Keeps the items whose name, category or help text contains every word of the query
 * (case-insensitive), so "pool" finds all pooling layers and "skip" finds Add by its help.
 */
export function filterPalette(sections: readonly PaletteSection[], query: string): PaletteSection[] {
  const words = query.toLowerCase().split(/\s+/).filter((w) => w !== '');
  if (words.length === 0) return [...sections];
  return sections
    .map((s) => ({
      category: s.category,
      items: s.items.filter((item) => {
        const hay = `${item.className} ${s.category} ${item.help}`.toLowerCase();
        return words.every((w) => hay.includes(w));
      }),
    }))
    .filter((s) => s.items.length > 0);
}
