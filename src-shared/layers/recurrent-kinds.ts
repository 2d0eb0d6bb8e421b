import { z } from 'zod';
import type { Shape } from '../spec/model-spec.ts';
import { defineLayerKind, LayerShapeError, type LayerKind } from './layer-kind.ts';
import { activationParam, booleanParam, wholeNumber } from './layer-params.ts';
import { requireSequence } from './sequence-rules.ts';
import { NO_FLOPS, onlyInput } from './shape-rules.ts';

/** Word embeddings and the recurrent layers (SimpleRNN, LSTM, GRU, Bidirectional). */

export const EmbeddingParamsSchema = z.object({
  input_dim: wholeNumber('input_dim (the vocabulary size)', 1).default(1000),
  output_dim: wholeNumber('output_dim', 1).default(32),
  mask_zero: booleanParam('mask_zero', false),
});
type EmbeddingParams = z.infer<typeof EmbeddingParamsSchema>;

export const EmbeddingKind = defineLayerKind<EmbeddingParams>({
  className: 'Embedding',
  category: 'Core',
  help: 'Turns word ids (whole numbers below input_dim) into learned vectors: the first layer of a text model.',
  params: EmbeddingParamsSchema,
  inputs: { min: 1, max: 1 },
  // Each id becomes a vector: a (steps) input gives (steps, output_dim), as in Keras and tfjs.
  inferShape: (inputs, p) => [...onlyInput(inputs), p.output_dim],
  countParams: (_inputs, p) => ({ trainable: p.input_dim * p.output_dim, nonTrainable: 0 }),
  flops: NO_FLOPS, // a table lookup
});

const dropoutRate = (field: string) => z.number({ error: `${field} must be a number between 0 and 1` }).min(0, `${field} must be at least 0`).lt(1, `${field} must be below 1`).default(0);

const RnnBase = {
  units: wholeNumber('units', 1).default(32),
  activation: activationParam('tanh'),
  use_bias: booleanParam('use_bias', true),
  return_sequences: booleanParam('return_sequences', false),
  dropout: dropoutRate('dropout'),
  recurrent_dropout: dropoutRate('recurrent_dropout'),
};

export const SimpleRNNParamsSchema = z.object(RnnBase);
// tfjs defaults LSTM/GRU's recurrent activation to hard_sigmoid; Keras 3 to sigmoid. Strata
// says which explicitly, so both engines and the exports agree.
export const GatedRnnParamsSchema = z.object({ ...RnnBase, recurrent_activation: activationParam('sigmoid') });
type RnnParams = z.infer<typeof SimpleRNNParamsSchema>;

/** Weights per gate set: input kernel, recurrent kernel, bias. GRU as tfjs builds it (no reset_after). */
function rnnWeights(gates: number, features: number, p: RnnParams): number {
  return gates * (p.units * (features + p.units) + (p.use_bias ? p.units : 0));
}

function rnnKind(className: 'SimpleRNN' | 'LSTM' | 'GRU', gates: number, help: string): LayerKind {
  const schema = className === 'SimpleRNN' ? SimpleRNNParamsSchema : GatedRnnParamsSchema;
  return defineLayerKind<RnnParams>({
    className,
    category: 'Recurrent',
    help,
    params: schema as z.ZodType<RnnParams>,
    inputs: { min: 1, max: 1 },
    inferShape(inputs, p) {
      const [steps, features] = requireSequence(className, onlyInput(inputs));
      if (features === null) throw new LayerShapeError(`${className} needs to know how many features each step has`);
      return p.return_sequences ? [steps, p.units] : [p.units];
    },
    countParams(inputs, p) {
      const [, features] = requireSequence(className, onlyInput(inputs));
      return { trainable: rnnWeights(gates, features ?? 0, p), nonTrainable: 0 };
    },
    flops(inputs, p) {
      const [steps, features] = requireSequence(className, onlyInput(inputs));
      return (steps ?? 0) * (2 * gates * p.units * ((features ?? 0) + p.units) + 4 * gates * p.units);
    },
  });
}

export const SimpleRNNKind = rnnKind('SimpleRNN', 1, 'The plainest recurrent layer: reads a sequence step by step, carrying a memory of units values.');
export const LSTMKind = rnnKind('LSTM', 4, 'Reads a sequence step by step with gated long-term memory; return_sequences keeps every step.');
export const GRUKind = rnnKind('GRU', 3, 'A lighter LSTM with two gates: reads a sequence step by step and remembers what matters.');

const RECURRENT = { SimpleRNN: SimpleRNNKind, LSTM: LSTMKind, GRU: GRUKind } as const;

export const BidirectionalParamsSchema = z.object({
  layer: z.object({
    class_name: z.enum(['SimpleRNN', 'LSTM', 'GRU'], { error: "layer.class_name must be 'SimpleRNN', 'LSTM' or 'GRU'" }),
    config: z.record(z.string(), z.unknown()).default({}),
  }, { error: "layer must be {class_name: 'LSTM', config: {units: 32}}" }).default({ class_name: 'LSTM', config: { units: 32 } }),
  merge_mode: z.enum(['concat', 'sum', 'mul', 'ave'], { error: "merge_mode must be 'concat', 'sum', 'mul' or 'ave'" }).default('concat'),
});
type BidirectionalParams = z.infer<typeof BidirectionalParamsSchema>;

/** The wrapped layer's kind and parsed parameters, or a parameter error in words. */
export function innerRecurrent(p: BidirectionalParams): { kind: LayerKind; params: RnnParams } {
  const kind = RECURRENT[p.layer.class_name];
  const parsed = kind.params.safeParse(p.layer.config);
  if (!parsed.success) throw new LayerShapeError(`Bidirectional's ${p.layer.class_name}: ${parsed.error.issues[0]?.message ?? 'invalid config'}`);
  return { kind, params: parsed.data as RnnParams };
}

export const BidirectionalKind = defineLayerKind<BidirectionalParams>({
  className: 'Bidirectional',
  category: 'Recurrent',
  help: 'Runs a recurrent layer forwards and backwards over the sequence and joins both readings.',
  params: BidirectionalParamsSchema,
  inputs: { min: 1, max: 1 },
  inferShape(inputs, p) {
    const { kind, params } = innerRecurrent(p);
    const out = kind.inferShape(inputs, params) as Shape;
    if (p.merge_mode !== 'concat') return out;
    return [...out.slice(0, -1), params.units * 2];
  },
  countParams(inputs, p) {
    const { kind, params } = innerRecurrent(p);
    const one = kind.countParams(inputs, params);
    return { trainable: 2 * one.trainable, nonTrainable: 2 * one.nonTrainable };
  },
  flops(inputs, p, output) {
    const { kind, params } = innerRecurrent(p);
    return 2 * kind.flops(inputs, params, output);
  },
});
