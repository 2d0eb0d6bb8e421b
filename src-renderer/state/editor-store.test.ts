import { TrainingConfigSchema } from '../../src-shared/contract/project.ts';
import { ImageDataConfigSchema } from '../../src-shared/contract/data-config.ts';
import { describe, expect, it } from 'vitest';
import { addLayer, connect, moveLayer, updateConfig } from '../../src-shared/graph/graph-edits.ts';
import { TEMPLATES } from '../../src-shared/spec/templates.ts';
import { dcganTemplate, GanProjectSettingsSchema } from '../../src-shared/contract/gan.ts';
import { joinGanCanvas } from '../../src-shared/graph/gan-canvas.ts';
import { toProjectFile } from './project-doc.ts';
import { EditorStore, isDirty } from './editor-store.ts';

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

describe('EditorStore projects', () => {
  const digits = ImageDataConfigSchema.parse({ kind: 'image-folder', path: '/data/digits', imageSize: [28, 28], channels: 1 });
  const project = {
    schemaVersion: 1 as const, kind: 'strata-project' as const, name: 'digits', model: lenet, data: digits,
    training: TrainingConfigSchema.parse({ epochs: 3, batchSize: 64, learningRate: 0.01, optimizer: 'sgd' }), weights: null, gan: null,
  };
  const scan = { kind: 'image-folder' as const, root: '/data/digits', labelsCsv: null, classes: [], total: 0, skipped: [], suggested: { imageSize: [28, 28] as [number, number], channels: 1 as const } };

  it('starts clean, and an edit makes it dirty until it is undone', () => {
    const store = new EditorStore();
    const fresh = isDirty(store.get());
    store.load(lenet, 'LeNet');
    const loaded = isDirty(store.get());
    store.undo();
    store.setProjectName('Untitled project');
    expect({ fresh, loaded, undone: isDirty(store.get()) }).toEqual({ fresh: false, loaded: true, undone: false });
  });

  it('opens a project as a clean slate: its graph, name, data and settings, no history', () => {
    const store = new EditorStore(TEMPLATES.find((t) => t.id === 'mlp')!.build());
    store.edit((s) => updateConfig(s, 'dense_1', { units: 7 }));
    store.select({ nodes: ['dense_1'], edges: [] });
    store.openProject(project, '/p/digits.strata.json');
    const s = store.get();
    expect({
      name: s.projectName, layers: s.analysis.totals.layers, data: s.data, training: s.training, path: s.projectPath,
      canUndo: s.canUndo, selection: s.selection.nodes, dirty: isDirty(s), loadCount: s.loadCount,
    }).toEqual({
      name: 'digits', layers: 9, data: digits, training: project.training, path: '/p/digits.strata.json',
      canUndo: false, selection: [], dirty: false, loadCount: 1,
    });
    store.setTraining({ epochs: 2 });
    expect(isDirty(store.get())).toBe(true);
  });

  it('marks saved what was sent, even when an edit lands while it is written', () => {
    const store = new EditorStore(lenet);
    store.setTraining({ epochs: 2 });
    const sent = store.content();
    store.setProjectName('edited meanwhile');
    store.markSaved('/p/copy.strata.json', sent);
    const meanwhile = isDirty(store.get());
    store.setProjectName(sent.projectName);
    expect({ path: store.get().projectPath, meanwhile, after: isDirty(store.get()) }).toEqual({ path: '/p/copy.strata.json', meanwhile: true, after: false });
  });

  it('lets only the latest scan land; opening a project drops a scan still running', () => {
    const store = new EditorStore(lenet);
    const first = store.beginScan();
    const second = store.beginScan();
    const stale = store.endScan(first, { error: 'old' });
    const fresh = store.endScan(second, { scan, data: digits });
    const third = store.beginScan();
    store.openProject({ ...project, data: null }, '/p/x.strata.json');
    const afterOpen = store.endScan(third, { scan });
    const s = store.get();
    expect({ stale, fresh, afterOpen, scan: s.scan, data: s.data, scanning: s.scanning, error: s.scanError })
      .toEqual({ stale: false, fresh: true, afterOpen: false, scan: null, data: null, scanning: false, error: null });
  });

  it('keeps the data config when a scan only adds what it found, and keeps the last scan when one fails', () => {
    const store = new EditorStore(lenet);
    store.openProject(project, '/p/digits.strata.json');
    store.endScan(store.beginScan(), { scan });
    store.endScan(store.beginScan(), { error: '/data/digits does not exist.' });
    const s = store.get();
    expect({ data: s.data, scan: s.scan, error: s.scanError, dirty: isDirty(s) }).toEqual({ data: digits, scan, error: '/data/digits does not exist.', dirty: false });
  });
});

describe('EditorStore GAN projects', () => {
  const canvas = joinGanCanvas(dcganTemplate([28, 28, 1]));
  const settings = GanProjectSettingsSchema.parse({});

  it('makes the project a GAN project with the DCGAN canvas, valid per network; undo brings back the classifier', () => {
    const store = new EditorStore(lenet);
    store.load(canvas, 'DCGAN', null, settings);
    const gan = store.get();
    const asGan = { kind: gan.gan !== null, errors: gan.analysis.issues.filter((i) => i.severity === 'error').map((i) => i.code), outputs: gan.analysis.outputs };
    store.setGanTraining({ epochs: 2 });
    const epochs = store.get().gan?.training.epochs;
    store.undo();
    const undone = { kind: store.get().gan, name: store.get().spec.config.name, valid: store.get().analysis.valid };
    store.redo();
    expect({ asGan, epochs, undone, redone: store.get().gan !== null && store.get().analysis.valid }).toEqual({
      asGan: { kind: true, errors: [], outputs: ['gen_conv2d_transpose_3', 'disc_dense_1'] },
      epochs: 2,
      undone: { kind: null, name: 'lenet', valid: true },
      redone: true,
    });
  });

  it('still flags a network that ends in two layers', () => {
    const store = new EditorStore();
    const added = addLayer(canvas, 'Dense', { x: 0, y: 999 }, { units: 1 });
    store.load(connect(added.spec, 'disc_flatten_1', added.name), 'DCGAN', null, settings);
    const errors = store.get().analysis.issues.filter((i) => i.code === 'MULTIPLE_OUTPUTS').map((i) => i.layer).sort();
    expect(errors).toEqual(['dense_1', 'disc_dense_1']);
  });

  it('keeps the GAN settings through save and open; a classifier template makes it a classifier project again', () => {
    const store = new EditorStore();
    store.load(canvas, 'DCGAN', null, settings);
    store.setGanTraining({ realLabel: 1 });
    const file = toProjectFile(store.content());
    const reopened = new EditorStore();
    reopened.openProject(file, '/p/gan.strata.json');
    const opened = { gan: reopened.get().gan?.training.realLabel, dirty: isDirty(reopened.get()), valid: reopened.get().analysis.valid };
    reopened.load(lenet, 'LeNet');
    expect({ opened, after: reopened.get().gan }).toEqual({ opened: { gan: 1, dirty: false, valid: true }, after: null });
  });
});
