import { describe, expect, it } from 'vitest';
import { filterPalette, paletteSections } from './palette-sections.ts';

describe('palette', () => {
  it('lists every catalog kind (40), grouped in catalog order', () => {
    const sections = paletteSections();
    expect({ count: sections.flatMap((s) => s.items).length, first: sections[0]?.category, firstItem: sections[0]?.items[0]?.className })
      .toEqual({ count: 40, first: 'Input', firstItem: 'Input' });
  });

  it('filters by name, category and help text', () => {
    const names = (q: string) => filterPalette(paletteSections(), q).flatMap((s) => s.items.map((i) => i.className));
    expect({ pool: names('pool'), skip: names('skip'), none: names('zzz'), all: names('  ').length })
      .toEqual({
        pool: ['MaxPooling2D', 'AveragePooling2D', 'GlobalAveragePooling2D', 'MaxPooling1D', 'AveragePooling1D', 'GlobalAveragePooling1D', 'GlobalMaxPooling1D', 'GlobalMaxPooling2D'],
        skip: ['Add'], none: [], all: 40,
      });
  });
});
