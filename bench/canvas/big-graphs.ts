import { MODEL_SPEC_VERSION, type LayerSpec, type ModelSpec } from '../../src-shared/spec/model-spec.ts';

/**
 * A large valid model for the canvas benchmark: a trunk of Dense layers on a flat input
 * with a skip connection (Add) every few layers, so the graph has `nodes` layers and
 * about 1.2 edges per layer, laid out as a long column of rows (as auto-layout would).
 */
export function bigModel(nodes: number): ModelSpec {
  const layers: LayerSpec[] = [{ class_name: 'Input', name: 'input_1', config: { shape: [32] }, inbound: [] }];
  const layout: ModelSpec['layout'] = { input_1: { x: 0, y: 0 } };
  let previous = 'input_1';
  let skipFrom = 'input_1';
  for (let i = 1; layers.length < nodes; i++) {
    const name = `dense_${i}`;
    layers.push({ class_name: 'Dense', name, config: { units: 32, activation: 'relu' }, inbound: [previous] });
    layout[name] = { x: (i % 4) * 220, y: Math.floor(i / 4) * 110 };
    previous = name;
    if (i % 5 === 0 && layers.length < nodes) {
      const add = `add_${i}`;
      layers.push({ class_name: 'Add', name: add, config: {}, inbound: [skipFrom, previous] });
      layout[add] = { x: (i % 4) * 220 + 110, y: Math.floor(i / 4) * 110 + 55 };
      previous = add;
      skipFrom = add;
    }
  }
  return { schemaVersion: MODEL_SPEC_VERSION, class_name: 'Model', config: { name: `big_${nodes}`, layers }, layout };
}

export function edgeCount(spec: ModelSpec): number {
  return spec.config.layers.reduce((n, l) => n + l.inbound.length, 0);
}
