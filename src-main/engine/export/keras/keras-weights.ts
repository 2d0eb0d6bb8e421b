import type * as tfType from '@tensorflow/tfjs';
import h5wasm from 'h5wasm/node';
import { StrataError } from '../../../strata-error.ts';
import type { Tf } from '../../backend/load-engine-backend.ts';
import type { KerasModelPlan } from './keras-config.ts';
import { kerasSnakeCase } from './keras-layer-order.ts';

/**
 * model.weights.h5 as Keras 3 writes it: `layers/<group>/vars/<i>` float32 datasets per
 * layer, numbered in the order of the layer's variables; recurrent layers keep theirs in
 * their cell (`layers/lstm/cell/vars/<i>`) and Bidirectional in each direction's cell
 * (`layers/bidirectional/forward_layer/cell/vars/<i>`). Every `vars` group carries the
 * owner's name as its `name` attribute, as Keras writes it (Keras reads by position only).
 *
 * tfjs keeps each layer's variables in the order Keras does — kernel, recurrent kernel,
 * bias; gamma, beta, moving mean, moving variance; depthwise, pointwise, bias — and
 * LSTM (i, f, c, o) and GRU (z, r, h, reset before the recurrent matmul) use Keras' gate
 * layout, so the values are copied as they are; the parity tests prove each kind.
 */

/** One dataset or empty group to write, by path inside the file. */
export interface VarsGroup {
  path: string;
  owner: string;
  values: Array<{ data: Float32Array; shape: number[] }>;
}

const RECURRENT = new Set(['SimpleRNN', 'LSTM', 'GRU']);

function tensorsOf(layer: tfType.layers.Layer): Array<{ data: Float32Array; shape: number[] }> {
  // layer.weights is trainable then non-trainable, in creation order: Keras' own variable order.
  return layer.weights.map((w) => {
    const value = w.read();
    return { data: new Float32Array(value.dataSync()), shape: [...value.shape] };
  });
}

/** Where each layer's variables go, with the values tfjs holds (read inside a tidy). */
export function kerasWeightGroupsOf(tf: Tf, model: tfType.LayersModel, plan: KerasModelPlan): VarsGroup[] {
  const groups: VarsGroup[] = [{ path: 'vars', owner: model.name, values: [] }];
  tf.tidy(() => collectGroups(model, plan, groups));
  return groups;
}

function collectGroups(model: tfType.LayersModel, plan: KerasModelPlan, groups: VarsGroup[]): void {
  for (const name of plan.order) {
    const base = `layers/${plan.weightGroups.get(name)!}`;
    const layer = plan.spec.config.layers.find((l) => l.name === name)!;
    if (plan.added.has(name)) {
      groups.push({ path: `${base}/vars`, owner: name, values: [] });
      continue;
    }
    let tfLayer: tfType.layers.Layer;
    try {
      tfLayer = model.getLayer(name);
    } catch {
      throw new StrataError('KERAS_EXPORT_FAILED', `The trained model has no layer named ${name}, which its spec lists; the checkpoint and the spec disagree. Retrain the run before exporting.`);
    }
    const values = tensorsOf(tfLayer);
    if (RECURRENT.has(layer.class_name)) {
      groups.push({ path: `${base}/vars`, owner: name, values: [] });
      groups.push({ path: `${base}/cell/vars`, owner: `${kerasSnakeCase(layer.class_name)}_cell`, values });
    } else if (layer.class_name === 'Bidirectional') {
      const inner = String((layer.config.layer as { class_name?: unknown } | undefined)?.class_name ?? 'LSTM');
      const half = values.length / 2;
      groups.push({ path: `${base}/vars`, owner: name, values: [] });
      for (const [direction, part] of [['forward', values.slice(0, half)], ['backward', values.slice(half)]] as const) {
        groups.push({ path: `${base}/${direction}_layer/vars`, owner: `${direction}_${name}_${inner.toLowerCase()}`, values: [] });
        groups.push({ path: `${base}/${direction}_layer/cell/vars`, owner: `${kerasSnakeCase(inner)}_cell`, values: part });
      }
    } else {
      groups.push({ path: `${base}/vars`, owner: name, values });
    }
  }
}

/** Writes the groups as model.weights.h5 at `file` (a host path). */
export async function writeKerasWeights(groups: readonly VarsGroup[], file: string): Promise<void> {
  await h5wasm.ready;
  const h5 = new h5wasm.File(file, 'w');
  try {
    const made = new Set<string>();
    const ensure = (path: string): void => {
      const parts = path.split('/');
      for (let i = 1; i <= parts.length; i += 1) {
        const sub = parts.slice(0, i).join('/');
        if (made.has(sub)) continue;
        h5.create_group(sub);
        made.add(sub);
      }
    };
    for (const group of groups) {
      ensure(group.path);
      const target = h5.get(group.path);
      if (!(target instanceof h5wasm.Group)) throw new Error(`${group.path} is not a group`);
      target.create_attribute('name', group.owner);
      group.values.forEach((v, i) => {
        target.create_dataset({ name: String(i), data: v.data, shape: v.shape, dtype: '<f' });
      });
    }
  } finally {
    h5.close();
  }
}
