import { describe, expect, it } from 'vitest';
import { makeBlock } from '../../src-shared/graph/graph-blocks.ts';
import { getTemplate } from '../../src-shared/spec/templates.ts';
import { withLibraryBlock } from './block-library.ts';

describe('adding a library block to a project', () => {
  const made = makeBlock(getTemplate('lenet')!.build(), ['conv2d_2', 'max_pooling2d_2'], 'conv_pool').spec;
  const def = made.blocks!.conv_pool!;

  it('copies the definition into a project that lacks it, then adds an instance', () => {
    const blank = getTemplate('blank')!.build();
    const { spec, name } = withLibraryBlock(blank, 'conv_pool', def, { x: 0, y: 100 });
    expect(spec.blocks).toEqual({ conv_pool: def });
    expect(spec.config.layers.find((l) => l.name === name)!.config).toEqual({ block: 'conv_pool' });
  });

  it('reuses an identical definition, and renames when the project has a different block of that name', () => {
    expect(withLibraryBlock(made, 'conv_pool', def, { x: 0, y: 0 }).spec.blocks).toEqual(made.blocks);
    const different = { ...def, output: 'conv2d_2' };
    const { spec } = withLibraryBlock(made, 'conv_pool', different, { x: 0, y: 0 });
    expect(Object.keys(spec.blocks!)).toEqual(['conv_pool', 'conv_pool_2']);
    expect(spec.blocks!.conv_pool_2).toEqual(different);
  });
});
