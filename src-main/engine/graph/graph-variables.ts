import type { OutputRef } from './graph-binding-types.ts';
import { dtypeAttr, type GraphWriter } from './graph-writer.ts';

/** One weight of one layer, held in a TensorFlow resource variable. */
export interface GraphVariable {
  layer: string;
  /** The weight's role, in the order the tfjs layer lists its weights (kernel, bias, …). */
  weight: string;
  shape: readonly number[];
  trainable: boolean;
  handle: OutputRef;
  /** The value the train step differentiates against (one read, shared by the step). */
  read: OutputRef;
  /** Fed with the initial value (taken from the tfjs model) by `assign`. */
  initValue: OutputRef;
  assign: string;
}

/**
 * The variables of a training graph. A layer's weights are created once and read by both
 * the training and the inference forward pass, so the two always see the same values.
 */
export class GraphVariables {
  readonly all: GraphVariable[] = [];
  private readonly byKey = new Map<string, GraphVariable>();

  constructor(private readonly w: GraphWriter) {}

  /** The value of `layer`'s `weight`, created on first use. */
  get(layer: string, weight: string, shape: readonly number[], trainable = true): OutputRef {
    const key = `${layer}/${weight}`;
    const existing = this.byKey.get(key);
    if (existing) {
      if (existing.shape.join() !== shape.join()) throw new Error(`${key} was declared as [${existing.shape}] and now as [${shape}]`);
      return existing.read;
    }
    const variable = this.w.scoped(layer, () => this.w.scoped(weight, () => {
      const handle = this.w.op('VarHandleOp', [], {
        dtype: dtypeAttr('float32'), shape: { type: 'shape', value: shape }, shared_name: { type: 'string', value: key },
      }, { name: 'var' });
      const read = this.w.op('ReadVariableOp', [handle], { dtype: dtypeAttr('float32') }, { name: 'read' });
      const initValue = this.w.placeholder('init_value', 'float32', shape);
      const [assign] = this.w.op('AssignVariableOp', [handle, initValue], { dtype: dtypeAttr('float32') }, { name: 'assign' });
      return { layer, weight, shape, trainable, handle, read, initValue, assign };
    }));
    this.all.push(variable);
    this.byKey.set(key, variable);
    return variable.read;
  }

  ofLayer(layer: string): GraphVariable[] {
    return this.all.filter((v) => v.layer === layer);
  }

  get trainable(): GraphVariable[] {
    return this.all.filter((v) => v.trainable);
  }
}
