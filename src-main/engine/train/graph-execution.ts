import type * as tfType from '@tensorflow/tfjs';
import type { Targets } from '../../../src-shared/contract/preprocessing.ts';
import type { TrainingConfig } from '../../../src-shared/contract/project.ts';
import { analyzeGraph } from '../../../src-shared/graph/analyze-graph.ts';
import type { ModelSpec } from '../../../src-shared/spec/model-spec.ts';
import type { EngineBackend } from '../backend/load-engine-backend.ts';
import { GraphTrainer } from '../graph/graph-trainer.ts';
import { loadGraphBinding } from '../graph/load-graph-binding.ts';
import { unsupportedLayers } from '../graph/training-graph.ts';

export type ExecutionPlan =
  | { mode: 'graph'; trainer: GraphTrainer; line: string }
  | { mode: 'op-by-op'; trainer: null; line: string };

/**
 * How a run's steps execute on the chosen backend. On native TensorFlow Strata writes the
 * whole training step as one TensorFlow graph (about twice as fast as tfjs' op-by-op fit
 * on mnist_cnn, see bench/engine). When that cannot be done — a fallback backend, a layer
 * with no graph form yet, a missing gradient, or STRATA_EXECUTION=op-by-op — the run uses
 * tfjs' fit and says why in the line the CLI and the window show: never a silent switch.
 */
export function planExecution(
  backend: EngineBackend,
  spec: ModelSpec,
  training: Pick<TrainingConfig, 'optimizer' | 'learningRate' | 'seed'>,
  model: tfType.LayersModel,
  targets: Targets,
  classWeights: readonly number[] | null = null,
): ExecutionPlan {
  const opByOp = (why: string | null): ExecutionPlan => ({ mode: 'op-by-op', trainer: null, line: `execution: op by op (tfjs fit)${why ? ` — ${why}` : ''}` });
  if (!backend.native) return opByOp(null);
  if (process.env.STRATA_EXECUTION === 'op-by-op') return opByOp('STRATA_EXECUTION=op-by-op');
  if (targets.type === 'regression') return opByOp('the graph engine trains classifiers; regression runs on tfjs');
  const frozen = spec.config.layers.filter((l) => l.trainable === false).map((l) => l.name);
  if (frozen.length > 0) return opByOp(`frozen layers (${frozen.join(', ')}) train op by op for now`);
  const missing = unsupportedLayers(spec);
  if (missing.length > 0) return opByOp(`no whole-graph form yet for ${missing.join(', ')}; training is slower`);
  try {
    const trainer = GraphTrainer.create(loadGraphBinding(), spec, analyzeGraph(spec), training, model, classWeights);
    return { mode: 'graph', trainer, line: 'execution: whole training step as one TensorFlow graph' };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return opByOp(`the graph engine could not take this model (${why.split('\n')[0]}); training is slower`);
  }
}
