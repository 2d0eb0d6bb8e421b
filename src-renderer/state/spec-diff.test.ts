import { describe, expect, it } from 'vitest';
import { makeBlock, expandBlock } from '../../src-shared/graph/graph-blocks.ts';
import { copyFragment, pasteFragment } from '../../src-shared/graph/graph-clipboard.ts';
import { addLayer, applyFix, connect, moveLayer, removeLayers, renameLayer, updateConfig } from '../../src-shared/graph/graph-edits.ts';
import { TEMPLATES } from '../../src-shared/spec/templates.ts';
import type { ModelSpec } from '../../src-shared/spec/model-spec.ts';
import { applyDiff, diffSpecs } from './spec-diff.ts';

const mlp = TEMPLATES.find((t) => t.id === 'mlp')!.build();

const edits: Array<[string, (s: ModelSpec) => ModelSpec]> = [
  ['add', (s) => addLayer(s, 'Dense', { x: 300, y: 0 }).spec],
  ['connect', (s) => connect(addLayer(s, 'Dense', { x: 300, y: 0 }).spec, 'dense_2', 'dense_3')],
  ['remove', (s) => removeLayers(s, ['dropout_1'])],
  ['rename', (s) => renameLayer(s, 'dense_1', 'hidden')],
  ['config', (s) => updateConfig(s, 'dense_1', { units: 32 })],
  ['move', (s) => moveLayer(s, 'flatten_1', { x: 40, y: 50 })],
  ['paste', (s) => pasteFragment(s, copyFragment(s, ['dense_1', 'dropout_1']), { x: 40, y: 40 }).spec],
  ['make block', (s) => makeBlock(s, ['dense_1', 'dropout_1'], 'hidden').spec],
  ['expand block', (s) => expandBlock(makeBlock(s, ['dense_1', 'dropout_1'], 'hidden').spec, 'hidden_1')],
  ['fix-it', (s) => applyFix(s, 'dense_2', { label: 'Set units', setParams: { units: 3 } })],
];

describe('diffSpecs / applyDiff', () => {
  it.each(edits)('%s: forward reaches the edited spec, backward returns to the original', (_name, edit) => {
    const after = edit(mlp);
    const diff = diffSpecs(mlp, after)!;
    expect({ forward: applyDiff(mlp, diff, 'forward'), backward: applyDiff(after, diff, 'backward') }).toEqual({ forward: after, backward: mlp });
  });

  it('records only what changed: a move is one layout entry', () => {
    const diff = diffSpecs(mlp, moveLayer(mlp, 'flatten_1', { x: 40, y: 50 }));
    expect(diff).toEqual({ layers: [], layout: [{ name: 'flatten_1', before: mlp.layout.flatten_1, after: { x: 40, y: 50 } }], order: null, modelName: null, blocks: [] });
  });

  it('is null when nothing changed', () => {
    expect(diffSpecs(mlp, { ...mlp })).toBeNull();
  });
});
