import type { TrainingConfig } from '../../../src-shared/contract/project.ts';
import type { HostTensor, OutputRef } from './graph-binding-types.ts';
import type { GraphVariable } from './graph-variables.ts';
import { boolAttr, dtypeAttr, type GraphWriter } from './graph-writer.ts';

const F32 = dtypeAttr('float32');
// tfjs' defaults (its backend epsilon is 1e-7), so a run trains the same on either engine.
const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
const RMSPROP = { rho: 0.9, momentum: 0, epsilon: 1e-7 };
const ADAGRAD = { initialAccumulator: 0.1, epsilon: 1e-7 };

/** The optimizer's part of the graph: one fused TensorFlow apply op per trainable weight. */
export interface GraphOptimizer {
  /** Ops that zero (or seed) the optimizer's slots; run once before the first step. */
  initTargets: string[];
  /** The apply ops, one per weight; the train step runs them. */
  applyOps: string[];
  /** Per-step scalar feeds: the learning rate (a schedule changes it), Adam's bias correction. */
  stepFeeds(step: number, learningRate: number): [OutputRef, HostTensor][];
}

function scalarTensor(value: number): HostTensor {
  return { dtype: 'float32', shape: [], data: Float32Array.of(value) };
}

/** A slot variable (Adam's moments, RMSProp's mean square…) filled with `initial`. */
function slot(w: GraphWriter, variable: GraphVariable, name: string, initial: number, initTargets: string[]): OutputRef {
  return w.scoped(`${variable.layer}/${variable.weight}/${name}`, () => {
    const handle = w.op('VarHandleOp', [], {
      dtype: F32, shape: { type: 'shape', value: variable.shape }, shared_name: { type: 'string', value: w.uniqueName('slot') },
    }, { name: 'var' });
    const value = w.op('Fill', [w.ints(variable.shape), w.scalar(initial)], { T: F32, index_type: dtypeAttr('int32') });
    initTargets.push(w.op('AssignVariableOp', [handle, value], { dtype: F32 }, { name: 'init' })[0]);
    return handle;
  });
}

export function writeOptimizer(w: GraphWriter, config: Pick<TrainingConfig, 'optimizer'>, weights: readonly GraphVariable[], grads: readonly OutputRef[]): GraphOptimizer {
  return w.scoped('optimizer', () => {
    const initTargets: string[] = [];
    const applyOps: string[] = [];
    // Fed every step, so a learning-rate schedule needs no new graph.
    const lr = w.placeholder('learning_rate', 'float32', []);
    const lrFeed = (learningRate: number): [OutputRef, HostTensor] => [lr, scalarTensor(learningRate)];
    const common = { T: F32, use_locking: boolAttr(false) };
    switch (config.optimizer) {
      case 'adam': {
        const beta1Power = w.placeholder('beta1_power', 'float32', []);
        const beta2Power = w.placeholder('beta2_power', 'float32', []);
        // TensorFlow's kernel adds epsilon to √v before bias correction, tfjs after it. Feeding
        // ε·√(1 − β₂ᵗ) makes the kernel take exactly tfjs' step, so a run trains the same
        // whichever way it executes.
        const epsilon = w.placeholder('epsilon_hat', 'float32', []);
        const [beta1, beta2] = [w.scalar(ADAM.beta1), w.scalar(ADAM.beta2)];
        weights.forEach((v, i) => {
          const m = slot(w, v, 'm', 0, initTargets);
          const s = slot(w, v, 'v', 0, initTargets);
          applyOps.push(w.op('ResourceApplyAdam', [v.handle, m, s, beta1Power, beta2Power, lr, beta1, beta2, epsilon, grads[i]!],
            { ...common, use_nesterov: boolAttr(false) })[0]);
        });
        return {
          initTargets, applyOps,
          stepFeeds: (step, learningRate) => [
            lrFeed(learningRate),
            [beta1Power, scalarTensor(ADAM.beta1 ** step)],
            [beta2Power, scalarTensor(ADAM.beta2 ** step)],
            [epsilon, scalarTensor(ADAM.epsilon * Math.sqrt(1 - ADAM.beta2 ** step))],
          ],
        };
      }
      case 'sgd':
        weights.forEach((v, i) => applyOps.push(w.op('ResourceApplyGradientDescent', [v.handle, lr, grads[i]!], common)[0]));
        return { initTargets, applyOps, stepFeeds: (_step, learningRate) => [lrFeed(learningRate)] };
      case 'rmsprop': {
        const [rho, momentum, epsilon] = [w.scalar(RMSPROP.rho), w.scalar(RMSPROP.momentum), w.scalar(RMSPROP.epsilon)];
        weights.forEach((v, i) => {
          const ms = slot(w, v, 'ms', 0, initTargets);
          const mom = slot(w, v, 'mom', 0, initTargets);
          applyOps.push(w.op('ResourceApplyRMSProp', [v.handle, ms, mom, lr, rho, momentum, epsilon, grads[i]!], common)[0]);
        });
        return { initTargets, applyOps, stepFeeds: (_step, learningRate) => [lrFeed(learningRate)] };
      }
      case 'adagrad': {
        const epsilon = w.scalar(ADAGRAD.epsilon);
        weights.forEach((v, i) => {
          const accum = slot(w, v, 'accum', ADAGRAD.initialAccumulator, initTargets);
          applyOps.push(w.op('ResourceApplyAdagradV2', [v.handle, accum, lr, epsilon, grads[i]!], { ...common, update_slots: boolAttr(true) })[0]);
        });
        return { initTargets, applyOps, stepFeeds: (_step, learningRate) => [lrFeed(learningRate)] };
      }
    }
  });
}
