import { beforeAll, describe, expect, it } from 'vitest';
import { loadEngineBackend } from '../backend/load-engine-backend.ts';
import type { HostTensor, StrataGraphBinding } from './graph-binding-types.ts';
import { loadGraphBinding } from './load-graph-binding.ts';
import { GraphWriter, dtypeAttr } from './graph-writer.ts';

let binding: StrataGraphBinding;
beforeAll(async () => {
  await loadEngineBackend(); // tfjs-node first, as in the engine: both share one libtensorflow
  binding = loadGraphBinding();
});

const f32 = (shape: number[], values: number[]): HostTensor => ({ dtype: 'float32', shape, data: Float32Array.from(values) });

describe("Strata's graph addon (libtensorflow's C graph API)", () => {
  it('runs against the same libtensorflow as tfjs-node', async () => {
    const { libtensorflowVersion } = await loadEngineBackend();
    expect(binding.tfVersion()).toBe(libtensorflowVersion);
  });

  it('computes x·w + b from fed values and constants', () => {
    const w = new GraphWriter(binding, binding.newGraph());
    const x = w.placeholder('x', 'float32', [-1, 2]);
    const weights = w.op('Const', [], { dtype: dtypeAttr('float32'), value: { type: 'tensor', value: f32([2, 3], [1, 2, 3, 4, 5, 6]) } });
    const bias = w.op('Const', [], { dtype: dtypeAttr('float32'), value: { type: 'tensor', value: f32([3], [0.5, -1, 2]) } });
    const y = w.op('BiasAdd', [w.op('MatMul', [x, weights], { T: dtypeAttr('float32') }), bias], { T: dtypeAttr('float32') });
    expect(w.outputShape(y)).toEqual([-1, 3]);
    const session = binding.newSession(w.graph, { intraOpThreads: 1, interOpThreads: 1 });
    const [out] = binding.run(session, [[x, f32([2, 2], [1, 0, 2, -1])]], [y]);
    binding.closeSession(session);
    expect(out!.shape).toEqual([2, 3]);
    expect(Array.from(out!.data as Float32Array)).toEqual([1.5, 1, 5, -1.5, -2, 2]);
  });

  it("adds TensorFlow's own gradients: d/dw sum((x·w)²) = 2·xᵀ(x·w)", () => {
    const w = new GraphWriter(binding, binding.newGraph());
    const x = w.placeholder('x', 'float32', [2, 2]);
    const weights = w.placeholder('w', 'float32', [2, 1]);
    const xw = w.op('MatMul', [x, weights], { T: dtypeAttr('float32') });
    const loss = w.sum(w.unary('Square', xw), [0, 1]);
    const [grad] = binding.addGradients(w.graph, 'gradients', [loss], [weights]);
    const session = binding.newSession(w.graph);
    // x = [[1, 2], [3, 4]], w = [1, -1] → xw = [-1, -1]; 2·xᵀ·xw = [-8, -12]
    const [value] = binding.run(session, [[x, f32([2, 2], [1, 2, 3, 4])], [weights, f32([2, 1], [1, -1])]], [grad!]);
    binding.closeSession(session);
    expect(Array.from(value!.data as Float32Array)).toEqual([-8, -12]);
  });

  it('keeps resource variables across runs of one session (the training state lives there)', () => {
    const w = new GraphWriter(binding, binding.newGraph());
    const handle = w.op('VarHandleOp', [], { dtype: dtypeAttr('float32'), shape: { type: 'shape', value: [2] }, shared_name: { type: 'string', value: 'v' } });
    const init = w.placeholder('init', 'float32', [2]);
    const [assign] = w.op('AssignVariableOp', [handle, init], { dtype: dtypeAttr('float32') });
    const [addOne] = w.op('AssignAddVariableOp', [handle, w.op('Const', [], { dtype: dtypeAttr('float32'), value: { type: 'tensor', value: f32([2], [1, 1]) } })], { dtype: dtypeAttr('float32') });
    const read = w.op('ReadVariableOp', [handle], { dtype: dtypeAttr('float32') }, { control: [] });
    const session = binding.newSession(w.graph);
    binding.run(session, [[init, f32([2], [10, 20])]], [], [assign]);
    binding.run(session, [], [], [addOne]);
    binding.run(session, [], [], [addOne]);
    const [value] = binding.run(session, [], [read]);
    binding.closeSession(session);
    expect(Array.from(value!.data as Float32Array)).toEqual([12, 22]);
  });

  it('round-trips int32 and bool tensors', () => {
    const w = new GraphWriter(binding, binding.newGraph());
    const ints = w.placeholder('ints', 'int32', [3]);
    const flags = w.placeholder('flags', 'bool', [2]);
    const session = binding.newSession(w.graph);
    const [i, b] = binding.run(session, [
      [ints, { dtype: 'int32', shape: [3], data: Int32Array.of(-7, 0, 2147483647) }],
      [flags, { dtype: 'bool', shape: [2], data: Uint8Array.of(1, 0) }],
    ], [w.op('Identity', [ints], { T: dtypeAttr('int32') }), w.op('LogicalNot', [flags])]);
    binding.closeSession(session);
    expect(i).toMatchObject({ dtype: 'int32', shape: [3] });
    expect(Array.from(i!.data as Int32Array)).toEqual([-7, 0, 2147483647]);
    expect(Array.from(b!.data as Uint8Array)).toEqual([0, 1]);
  });

  it('throws clear errors, naming the op, and the process carries on', () => {
    const w = new GraphWriter(binding, binding.newGraph());
    const x = w.placeholder('x', 'float32', [2]);
    expect(() => binding.addOperation(w.graph, { op: 'Neg', name: 'neg', inputs: [['nowhere', 0]], attrs: { T: dtypeAttr('float32') } }))
      .toThrow("neg: 'nowhere' is not in the graph");
    expect(() => binding.addOperation(w.graph, { op: 'Neg', name: 'neg2', inputs: [x], attrs: { T: { type: 'int', value: 3 } } }))
      .toThrow(/Neg 'neg2': .*T/);
    expect(() => binding.addOperation(w.graph, { op: 'NoSuchOp', name: 'odd', inputs: [] })).toThrow(/NoSuchOp 'odd': .*NoSuchOp/);
    expect(() => binding.addOperation(w.graph, { op: 'Neg', name: 'x', inputs: [x], attrs: { T: dtypeAttr('float32') } }))
      .toThrow("already has an operation named 'x'");
    const neg = w.unary('Neg', x);
    const session = binding.newSession(w.graph);
    expect(() => binding.run(session, [[x, f32([2], [1, 2, 3])]], [neg])).toThrow('x: data has 3 values but its shape holds 2');
    expect(() => binding.run(session, [[x, { dtype: 'float32', shape: [2], data: Int32Array.of(1, 2) }]], [neg])).toThrow('does not match dtype float32');
    expect(() => binding.run(session, [], [neg])).toThrow(/run: .*x/); // a placeholder left unfed
    expect(() => binding.run(session, [], [], ['missing'])).toThrow("run target: 'missing' is not in the graph");
    const [ok] = binding.run(session, [[x, f32([2], [1, 2])]], [neg]);
    expect(Array.from(ok!.data as Float32Array)).toEqual([-1, -2]);
    binding.closeSession(session);
    binding.closeSession(session); // closing twice is harmless
    expect(() => binding.run(session, [[x, f32([2], [1, 2])]], [neg])).toThrow('the session is closed');
  });
});
