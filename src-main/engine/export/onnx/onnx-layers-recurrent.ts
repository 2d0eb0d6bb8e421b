import type { z } from 'zod';
import type { ActivationName } from '../../../../src-shared/layers/layer-params.ts';
import { BidirectionalParamsSchema, GatedRnnParamsSchema, innerRecurrent, SimpleRNNParamsSchema } from '../../../../src-shared/layers/recurrent-kinds.ts';
import { applyActivation, recurrentActivation, type RecurrentActivation } from './onnx-activations.ts';
import { attr, floatTensor, type OnnxGraph } from './onnx-graph.ts';
import { converter, input, type LayerWeight, type OnnxLayerContext, type OnnxLayerConverter } from './onnx-layer-context.ts';

/**
 * SimpleRNN, LSTM, GRU and Bidirectional. Where onnxruntime's recurrent kernels have the
 * layer's activations, the layer becomes ONNX's RNN / LSTM / GRU op; otherwise (softmax,
 * selu, swish or gelu inside the cell) it is written out step by step with the same
 * arithmetic tfjs' cells do (tfjs-layers/src/layers/recurrent.ts). Either way the output is
 * what tfjs' predict gives: the last step's state, or every step's with return_sequences.
 */

type RecurrentClass = 'SimpleRNN' | 'LSTM' | 'GRU';

interface RnnParams {
  units: number;
  activation: ActivationName;
  recurrent_activation?: ActivationName;
  use_bias: boolean;
  return_sequences: boolean;
}

/** One direction's trained weights in tfjs' layout: kernel (F, G·U), recurrent (U, G·U), bias (G·U). */
interface CellWeights {
  kernel: Float32Array;
  recurrent: Float32Array;
  bias: Float32Array | null;
}

const GATES: Record<RecurrentClass, number> = { SimpleRNN: 1, LSTM: 4, GRU: 3 };
/**
 * ONNX gate position → Keras/tfjs gate. tfjs keeps LSTM gates as [i, f, c, o] and GRU gates
 * as [z, r, h]; ONNX wants LSTM's as [i, o, f, c] and GRU's as [z, r, h].
 */
const ONNX_GATE_ORDER: Record<RecurrentClass, number[]> = { SimpleRNN: [0], LSTM: [0, 3, 1, 2], GRU: [0, 1, 2] };
const ONNX_OP: Record<RecurrentClass, string> = { SimpleRNN: 'RNN', LSTM: 'LSTM', GRU: 'GRU' };

/** Reads one direction's weights starting at weight `first`; returns them and the next index. */
function cellWeights(ctx: OnnxLayerContext<unknown>, first: number, features: number, units: number, gates: number, useBias: boolean): CellWeights {
  const take = (idx: number, shape: number[]): Float32Array => {
    const w: LayerWeight | undefined = ctx.weights[idx];
    if (!w || w.shape.join() !== shape.join()) throw new Error(`${ctx.name}: weight ${idx} has shape [${w?.shape.join(', ') ?? 'none'}], expected [${shape.join(', ')}]`);
    return w.values;
  };
  return {
    kernel: take(first, [features, gates * units]),
    recurrent: take(first + 1, [units, gates * units]),
    bias: useBias ? take(first + 2, [gates * units]) : null,
  };
}

/** The activations for ONNX's op, per direction: RNN [f], LSTM [f, g, h], GRU [f, g]; null if one has no ONNX form. */
function onnxActivations(kind: RecurrentClass, p: RnnParams): RecurrentActivation[] | null {
  const act = recurrentActivation(p.activation);
  const gate = recurrentActivation(p.recurrent_activation ?? 'sigmoid');
  if (!act || (kind !== 'SimpleRNN' && !gate)) return null;
  if (kind === 'SimpleRNN') return [act];
  return kind === 'LSTM' ? [gate!, act, act] : [gate!, act];
}

/**
 * ONNX's op for one or both directions. Returns, per direction, the output as tfjs gives it:
 * (batch, steps, units) with return_sequences, else (batch, units); the reverse direction's
 * steps in input order, as tfjs' Bidirectional re-reverses them.
 */
function onnxRecurrence(g: OnnxGraph, scope: string, kind: RecurrentClass, x: string, features: number, p: RnnParams, directions: CellWeights[], activations: RecurrentActivation[]): string[] {
  const U = p.units;
  const G = GATES[kind];
  const order = ONNX_GATE_ORDER[kind];
  const D = directions.length;
  const W = new Float32Array(D * G * U * features);
  const R = new Float32Array(D * G * U * U);
  const B = new Float32Array(D * 2 * G * U); // input bias, then recurrent bias (zero: tfjs has one bias)
  directions.forEach((w, d) => {
    order.forEach((k, gi) => {
      for (let u = 0; u < U; u++) {
        const row = d * G * U + gi * U + u;
        const col = k * U + u;
        for (let f = 0; f < features; f++) W[row * features + f] = w.kernel[f * G * U + col]!;
        for (let j = 0; j < U; j++) R[row * U + j] = w.recurrent[j * G * U + col]!;
        if (w.bias) B[d * 2 * G * U + gi * U + u] = w.bias[col]!;
      }
    });
  });
  const perDirection = [...activations, ...(D === 2 ? activations : [])];
  const alphas = perDirection.flatMap((a) => (a.alpha === undefined ? [] : [a.alpha]));
  const betas = perDirection.flatMap((a) => (a.beta === undefined ? [] : [a.beta]));
  const attributes = [
    attr.int('hidden_size', U),
    attr.string('direction', D === 2 ? 'bidirectional' : 'forward'),
    attr.strings('activations', perDirection.map((a) => a.name)),
    ...(alphas.length > 0 ? [attr.floats('activation_alpha', alphas)] : []),
    ...(betas.length > 0 ? [attr.floats('activation_beta', betas)] : []),
  ];
  const timeMajor = g.op('Transpose', [x], [attr.ints('perm', [1, 0, 2])], `${scope}/time_major`);
  const inputs = [timeMajor, g.weight(`${scope}/W`, W, [D, G * U, features]), g.weight(`${scope}/R`, R, [D, G * U, U]),
    ...(p.use_bias ? [g.weight(`${scope}/B`, B, [D, 2 * G * U])] : [])];
  const outputs = kind === 'LSTM' ? 3 : 2;
  // Y (steps, directions, batch, units) when every step is wanted, else Y_h (directions, batch, units).
  const skip = p.return_sequences ? [1, 2] : [0, 2];
  const [y, yh] = g.opMulti(ONNX_OP[kind], inputs, outputs, attributes, `${scope}/${ONNX_OP[kind].toLowerCase()}`, skip);
  return directions.map((_, d) => {
    if (p.return_sequences) {
      const one = g.op('Gather', [y!, g.int64(d)], [attr.int('axis', 1)], `${scope}/direction${d}`);
      return g.op('Transpose', [one], [attr.ints('perm', [1, 0, 2])], `${scope}/direction${d}_batch_major`);
    }
    return g.op('Gather', [yh!, g.int64(d)], [attr.int('axis', 0)], `${scope}/direction${d}_last`);
  });
}

/**
 * The cell written out step by step, for activations ONNX's recurrent ops lack. The input
 * projection of every step is one MatMul up front (tfjs computes the same products per
 * step); `reverse` walks the steps backwards and leaves the outputs in input order.
 */
function unrolledRecurrence(g: OnnxGraph, scope: string, kind: RecurrentClass, x: string, steps: number, features: number, p: RnnParams, w: CellWeights, reverse: boolean, mask: string | undefined): string {
  const U = p.units;
  const G = GATES[kind];
  const act = (t: string, s: string) => applyActivation(g, t, p.activation, s);
  const gate = (t: string, s: string) => applyActivation(g, t, p.recurrent_activation ?? 'sigmoid', s);
  let xw = g.op('MatMul', [x, g.weight(`${scope}/kernel`, w.kernel, [features, G * U])], [], `${scope}/x_kernel`);
  if (w.bias) xw = g.op('Add', [xw, g.weight(`${scope}/bias`, w.bias, [G * U])], [], `${scope}/x_bias`);
  // GRU applies its recurrent kernel in two parts: [z, r] on h, then h's part on r·h.
  const columns = (from: number, to: number) => {
    const out = new Float32Array(U * (to - from));
    for (let j = 0; j < U; j++) out.set(w.recurrent.subarray(j * G * U + from, j * G * U + to), j * (to - from));
    return out;
  };
  const rec = kind === 'GRU'
    ? [g.weight(`${scope}/recurrent_zr`, columns(0, 2 * U), [U, 2 * U]), g.weight(`${scope}/recurrent_h`, columns(2 * U, 3 * U), [U, U])]
    : [g.weight(`${scope}/recurrent_kernel`, w.recurrent, [U, G * U])];
  // Zero initial states shaped (batch, units).
  const batch = g.op('Slice', [g.op('Shape', [x], [], `${scope}/shape`), g.int64([0]), g.int64([1])], [], `${scope}/batch`);
  const stateShape = g.op('Concat', [batch, g.int64([U])], [attr.int('axis', 0)], `${scope}/state_shape`);
  let h = g.op('ConstantOfShape', [stateShape], [attr.tensor('value', floatTensor('zero', Float32Array.of(0), [1]))], `${scope}/h0`);
  let c = h;
  const outputs = new Array<string>(steps);
  for (let i = 0; i < steps; i++) {
    const t = reverse ? steps - 1 - i : i;
    const s = `${scope}/t${t}`;
    const xt = g.op('Gather', [xw, g.int64(t)], [attr.int('axis', 1)], `${s}/x`);
    const [hPrev, cPrev] = [h, c];
    if (kind === 'SimpleRNN') {
      h = act(g.op('Add', [xt, g.op('MatMul', [h, rec[0]!], [], `${s}/hr`)], [], `${s}/z`), `${s}/h`);
    } else if (kind === 'LSTM') {
      const z = g.op('Add', [xt, g.op('MatMul', [h, rec[0]!], [], `${s}/hr`)], [], `${s}/z`);
      const [zi, zf, zc, zo] = g.opMulti('Split', [z], 4, [attr.int('axis', 1)], `${s}/gates`);
      const i_ = gate(zi!, `${s}/i`);
      const f = gate(zf!, `${s}/f`);
      c = g.op('Add', [g.op('Mul', [f, c], [], `${s}/fc`), g.op('Mul', [i_, act(zc!, `${s}/cc`)], [], `${s}/ic`)], [], `${s}/c`);
      h = g.op('Mul', [gate(zo!, `${s}/o`), act(c, `${s}/c_act`)], [], `${s}/h`);
    } else {
      const [xz, xr, xh] = g.opMulti('Split', [xt], 3, [attr.int('axis', 1)], `${s}/x_gates`);
      const [rz, rr] = g.opMulti('Split', [g.op('MatMul', [h, rec[0]!], [], `${s}/hr`)], 2, [attr.int('axis', 1)], `${s}/h_gates`);
      const z = gate(g.op('Add', [xz!, rz!], [], `${s}/z_in`), `${s}/z`);
      const r = gate(g.op('Add', [xr!, rr!], [], `${s}/r_in`), `${s}/r`);
      const hh = act(g.op('Add', [xh!, g.op('MatMul', [g.op('Mul', [r, h], [], `${s}/rh`), rec[1]!], [], `${s}/rhr`)], [], `${s}/hh_in`), `${s}/hh`);
      const keep = g.op('Mul', [z, h], [], `${s}/zh`);
      const take = g.op('Mul', [g.op('Sub', [g.float(1), z], [], `${s}/one_minus_z`), hh], [], `${s}/zhh`);
      h = g.op('Add', [keep, take], [], `${s}/h`);
    }
    if (mask) {
      // tfjs' rnn(): new·m + old·(1 − m), so a padding step keeps the state and repeats the output.
      const m = g.op('Unsqueeze', [g.op('Gather', [mask, g.int64(t)], [attr.int('axis', 1)], `${s}/mask`), g.int64([1])], [], `${s}/mask_column`);
      const notM = g.op('Sub', [g.float(1), m], [], `${s}/not_mask`);
      const blend = (next: string, prev: string, what: string) =>
        g.op('Add', [g.op('Mul', [next, m], [], `${s}/${what}_new`), g.op('Mul', [prev, notM], [], `${s}/${what}_kept`)], [], `${s}/${what}_masked`);
      h = blend(h, hPrev, 'h');
      if (kind === 'LSTM') c = blend(c, cPrev, 'c');
    }
    outputs[t] = h;
  }
  if (!p.return_sequences) return h;
  const stepped = outputs.map((o, t) => g.op('Unsqueeze', [o, g.int64([1])], [], `${scope}/t${t}/step`));
  return g.op('Concat', stepped, [attr.int('axis', 1)], `${scope}/sequence`);
}

/** One recurrent layer over `directions` (1, or 2 for Bidirectional: forward then backward). */
function recurrence(ctx: OnnxLayerContext<unknown>, kind: RecurrentClass, p: RnnParams, directions: 1 | 2, scope: string): string[] {
  const { x, shape } = input(ctx);
  const [steps, features] = shape as [number, number];
  const G = GATES[kind];
  const perDirection = p.use_bias ? 3 : 2;
  const weights = Array.from({ length: directions }, (_, d) => cellWeights(ctx, d * perDirection, features, p.units, G, p.use_bias));
  const activations = onnxActivations(kind, p);
  if (activations && !ctx.mask) return onnxRecurrence(ctx.g, scope, kind, x, features, p, weights, activations);
  const why = ctx.mask
    ? 'it skips padding steps (mask_zero), which ONNX\'s recurrent ops cannot do anywhere in a sequence'
    : `ONNX's ${ONNX_OP[kind]} op has no ${recurrentActivation(p.activation) === null ? p.activation : p.recurrent_activation} activation`;
  ctx.g.notes.push(`${ctx.name} (${kind}) is written out step by step over its ${steps} steps: ${why}.`);
  return weights.map((w, d) => unrolledRecurrence(ctx.g, `${scope}/${d === 0 ? 'forward' : 'backward'}`, kind, x, steps, features, p, w, d === 1, ctx.mask));
}

function recurrentConverter(kind: RecurrentClass): OnnxLayerConverter {
  // SimpleRNN has no recurrent_activation; both schemas give what RnnParams describes.
  const schema = (kind === 'SimpleRNN' ? SimpleRNNParamsSchema : GatedRnnParamsSchema) as z.ZodType<RnnParams>;
  return converter(schema, (ctx) => {
    const [out] = recurrence(ctx, kind, ctx.params, 1, ctx.name);
    return ctx.g.op('Identity', [out!], [], ctx.name);
  });
}

export const RECURRENT_ONNX_CONVERTERS: Readonly<Record<string, OnnxLayerConverter>> = {
  SimpleRNN: recurrentConverter('SimpleRNN'),
  LSTM: recurrentConverter('LSTM'),
  GRU: recurrentConverter('GRU'),
  // tfjs: concat [forward, backward] on the last axis, or their sum, product or 0.5·sum.
  Bidirectional: converter(BidirectionalParamsSchema, (ctx) => {
    const { g, name } = ctx;
    const inner = innerRecurrent(ctx.params).params as RnnParams;
    const [forward, backward] = recurrence(ctx, ctx.params.layer.class_name, inner, 2, name) as [string, string];
    switch (ctx.params.merge_mode) {
      case 'concat': return g.op('Concat', [forward, backward], [attr.int('axis', -1)], name);
      case 'sum': return g.op('Add', [forward, backward], [], name);
      case 'mul': return g.op('Mul', [forward, backward], [], name);
      case 'ave': return g.op('Mul', [g.float(0.5), g.op('Add', [forward, backward], [], `${name}/sum`)], [], name);
    }
  }),
};
