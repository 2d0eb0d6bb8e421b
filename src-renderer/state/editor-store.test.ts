import { describe, expect, it } from 'vitest';
import { addLayer, connect, moveLayer, updateConfig } from '../../src-shared/graph/graph-edits.ts';
import { TEMPLATES } from '../../src-shared/spec/templates.ts';
import { EditorStore } from './editor-store.ts';

const lenet = TEMPLATES.find((t) => t.id === 'lenet')!.build();

describe('EditorStore', () => {
  it('undoes and redoes edits, and keeps the analysis in step', () => {
    const store = new EditorStore(lenet);
    store.edit((s) => updateConfig(s, 'conv2d_1', { filters: 8 }));
    const edited = store.get().analysis.nodes.conv2d_1?.outputShape;
    store.undo();
    const undone = { shape: store.get().analysis.nodes.conv2d_1?.outputShape, canUndo: store.get().canUndo, canRedo: store.get().canRedo };
    store.redo();
    expect({ edited, undone, redone: store.get().spec.config.layers[1]?.config.filters }).toEqual({
      edited: [28, 28, 8], undone: { shape: [28, 28, 6], canUndo: false, canRedo: true }, redone: 8,
    });
  });

  it('makes a drag one undo entry', () => {
    const store = new EditorStore(lenet);
    store.beginGesture();
    for (let x = 1; x <= 5; x++) store.edit((s) => moveLayer(s, 'input_1', { x: x * 10, y: 0 }));
    store.endGesture();
    store.undo();
    expect({ at: store.get().spec.layout.input_1, canUndo: store.get().canUndo }).toEqual({ at: lenet.layout.input_1, canUndo: false });
  });

  it('keeps selection out of history and turns a refused edit into a notice', () => {
    const store = new EditorStore(lenet);
    store.select({ nodes: ['dense_1'], edges: [] });
    const applied = store.edit((s) => connect(s, 'dense_3', 'input_1'));
    expect({ applied, canUndo: store.get().canUndo, notice: store.get().notice?.text, selected: store.get().selection.nodes })
      .toEqual({ applied: false, canUndo: false, notice: 'input_1 is an Input layer: it takes no input', selected: ['dense_1'] });
  });

  it('drops deleted layers from the selection, and loading a template is undoable', () => {
    const store = new EditorStore(addLayer(lenet, 'Dense', { x: 0, y: 999 }).spec);
    store.select({ nodes: ['dense_4', 'dense_1'], edges: [] });
    store.edit((s) => ({ ...s, config: { ...s.config, layers: s.config.layers.filter((l) => l.name !== 'dense_4') } }));
    const afterDelete = store.get().selection.nodes;
    store.load(TEMPLATES.find((t) => t.id === 'mlp')!.build(), 'MLP');
    store.undo();
    expect({ afterDelete, name: store.get().spec.config.name, loadCount: store.get().loadCount }).toEqual({ afterDelete: ['dense_1'], name: 'lenet', loadCount: 1 });
  });
});
