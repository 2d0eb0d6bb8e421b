import type * as tfType from '@tensorflow/tfjs';
import type { TrainingConfig } from '../../../src-shared/contract/project.ts';
import type { GraphAnalysis } from '../../../src-shared/graph/graph-analysis.ts';
import type { ModelSpec } from '../../../src-shared/spec/model-spec.ts';
import type { Tf } from '../backend/load-engine-backend.ts';
import type { HostTensor, OutputRef, SessionHandle, StrataGraphBinding } from './graph-binding-types.ts';
import { writeTrainingGraph, type TrainingGraph } from './training-graph.ts';

/** Examples laid out as the graph feeds them: `pixels` row-major per sample, `labels` class indices. */
export interface FeedSet {
  pixels: Float32Array;
  labels: Int32Array;
  count: number;
  /** Per-sample shape, e.g. [28, 28, 1]. */
  sampleShape: readonly number[];
}

export interface BatchResult { loss: number; acc: number }

/**
 * Trains a tfjs model's weights inside one TensorFlow session. The tfjs model stays the
 * model of record (saving, explaining, exporting all use it): its initial weights seed the
 * graph's variables, and `copyWeightsTo` writes the trained values back.
 */
export class GraphTrainer {
  private step = 0;
  private closed = false;

  private constructor(
    private readonly binding: StrataGraphBinding,
    private readonly graph: TrainingGraph,
    private readonly session: SessionHandle,
    /** Fed with every step; a schedule changes it between epochs. */
    public learningRate: number,
  ) {}

  static create(
    binding: StrataGraphBinding, spec: ModelSpec, analysis: GraphAnalysis, training: Pick<TrainingConfig, 'optimizer' | 'learningRate' | 'seed'>,
    model: tfType.LayersModel, classWeights: readonly number[] | null = null,
  ): GraphTrainer {
    const graph = writeTrainingGraph(binding, spec, analysis, training, classWeights);
    const session = binding.newSession(graph.graph);
    const trainer = new GraphTrainer(binding, graph, session, training.learningRate);
    try {
      trainer.seedFrom(model);
    } catch (err) {
      trainer.close();
      throw err;
    }
    return trainer;
  }

  /** Copies the tfjs model's weights into the variables and zeroes the optimizer's slots. */
  private seedFrom(model: tfType.LayersModel): void {
    const feeds: [OutputRef, HostTensor][] = [];
    const targets: string[] = [...this.graph.optimizer.initTargets];
    for (const [layerName, variables] of this.byLayer()) {
      const values = model.getLayer(layerName).getWeights();
      if (values.length !== variables.length) throw new Error(`${layerName}: tfjs has ${values.length} weights, the graph ${variables.length}`);
      variables.forEach((v, i) => {
        const value = values[i]!;
        if (value.shape.join() !== v.shape.join()) throw new Error(`${layerName}/${v.weight}: tfjs shape [${value.shape}] vs graph [${v.shape}]`);
        feeds.push([v.initValue, { dtype: 'float32', shape: v.shape, data: value.dataSync() as Float32Array }]);
        targets.push(v.assign);
      });
    }
    this.binding.run(this.session, feeds, [], targets);
  }

  private byLayer(): Map<string, TrainingGraph['variables']['all']> {
    const groups = new Map<string, TrainingGraph['variables']['all']>();
    for (const v of this.graph.variables.all) groups.set(v.layer, [...(groups.get(v.layer) ?? []), v]);
    return groups;
  }

  /** One optimizer step on a batch; returns that batch's mean loss and accuracy. */
  trainBatch(pixels: Float32Array, labels: Int32Array, sampleShape: readonly number[]): BatchResult {
    this.step += 1;
    const { train, x, optimizer, stepTargets } = this.graph;
    const [loss, acc] = this.binding.run(this.session, [
      [x, { dtype: 'float32', shape: [labels.length, ...sampleShape], data: pixels }],
      [this.graph.labels, { dtype: 'int32', shape: [labels.length], data: labels }],
      ...optimizer.stepFeeds(this.step, this.learningRate),
    ], [train.loss, train.accuracy], stepTargets);
    return { loss: loss!.data[0] as number, acc: acc!.data[0] as number };
  }

  /** The inference pass (no dropout, moving statistics) on one batch: summed loss and number correct. */
  evaluateBatch(pixels: Float32Array, labels: Int32Array, sampleShape: readonly number[]): { lossSum: number; correct: number } {
    const n = labels.length;
    const [l, c] = this.binding.run(this.session, [
      [this.graph.x, { dtype: 'float32', shape: [n, ...sampleShape], data: pixels }],
      [this.graph.labels, { dtype: 'int32', shape: [n], data: labels }],
    ], [this.graph.infer.lossSum, this.graph.infer.correctSum]);
    return { lossSum: l!.data[0] as number, correct: c!.data[0] as number };
  }

  /** Mean loss and accuracy of the inference pass over a whole set. */
  evaluate(set: FeedSet, batchSize = 256): BatchResult {
    const size = set.sampleShape.reduce((a, b) => a * b, 1);
    let lossSum = 0;
    let correct = 0;
    for (let from = 0; from < set.count; from += batchSize) {
      const n = Math.min(batchSize, set.count - from);
      const r = this.evaluateBatch(set.pixels.subarray(from * size, (from + n) * size), set.labels.subarray(from, from + n), set.sampleShape);
      lossSum += r.lossSum;
      correct += r.correct;
    }
    return { loss: lossSum / set.count, acc: correct / set.count };
  }

  /** Writes the graph's current weights into the tfjs model (before a checkpoint or at the end). */
  copyWeightsTo(tf: Tf, model: tfType.LayersModel): void {
    const all = this.graph.variables.all;
    const values = this.binding.run(this.session, [], all.map((v) => v.read));
    for (const [layerName, variables] of this.byLayer()) {
      const tensors = variables.map((v) => {
        const value = values[all.indexOf(v)]!;
        return tf.tensor(value.data as Float32Array, [...value.shape], 'float32');
      });
      model.getLayer(layerName).setWeights(tensors);
      tf.dispose(tensors);
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.binding.closeSession(this.session);
  }
}
