import { describe, expect, it } from 'vitest';
import { MODEL_SPEC_VERSION, ModelSpecSchema, type ModelSpec } from '../spec/model-spec.ts';
import { analyzeGraph } from './analyze-graph.ts';
import { addBlockInstance, expandBlock, flattenBlocks, makeBlock } from './graph-blocks.ts';
import { connect, GraphEditError } from './graph-edits.ts';

/** input → stem conv → [conv → bn] + stem (skip) → relu → gap → dense: a small residual net. */
function resnet(): ModelSpec {
  const L = (name: string, class_name: string, inbound: string[], config: Record<string, unknown> = {}) => ({ name, class_name, inbound, config });
  return {
    schemaVersion: MODEL_SPEC_VERSION, class_name: 'Model',
    config: {
      name: 'res',
      layers: [
        L('input_1', 'Input', [], { shape: [8, 8, 3] }),
        L('stem', 'Conv2D', ['input_1'], { filters: 4, padding: 'same' }),
        L('conv_a', 'Conv2D', ['stem'], { filters: 4, padding: 'same' }),
        L('bn_a', 'BatchNormalization', ['conv_a']),
        L('add_a', 'Add', ['stem', 'bn_a']),
        L('relu_a', 'Activation', ['add_a'], { activation: 'relu' }),
        L('gap', 'GlobalAveragePooling2D', ['relu_a']),
        L('out', 'Dense', ['gap'], { units: 3, activation: 'softmax' }),
      ],
    },
    layout: { stem: { x: 0, y: 100 }, conv_a: { x: 100, y: 200 }, bn_a: { x: 100, y: 300 }, add_a: { x: 0, y: 400 }, relu_a: { x: 0, y: 500 } },
  };
}
const RES_BLOCK = ['conv_a', 'bn_a', 'add_a', 'relu_a'];

describe('composite blocks', () => {
  it('makes a block from a selection with one input and one output, and the collapsed model analyses the same', () => {
    const spec = resnet();
    const { spec: blocked, instance } = makeBlock(spec, RES_BLOCK, 'res_block');
    expect(instance).toBe('res_block_1');
    expect(blocked.config.layers.map((l) => l.name)).toEqual(['input_1', 'stem', 'res_block_1', 'gap', 'out']);
    expect(blocked.config.layers.find((l) => l.name === 'gap')!.inbound).toEqual(['res_block_1']);
    expect(blocked.blocks!.res_block!.layers.find((l) => l.name === 'conv_a')!.inbound).toEqual(['block_input']);
    expect(blocked.blocks!.res_block!.layers.find((l) => l.name === 'add_a')!.inbound).toEqual(['block_input', 'bn_a']);
    expect(ModelSpecSchema.parse(JSON.parse(JSON.stringify(blocked)))).toEqual(blocked); // saved in the project as JSON

    const before = analyzeGraph(spec);
    const after = analyzeGraph(blocked);
    expect(after.valid).toBe(true);
    expect({ ...after.totals, layers: 0 }).toEqual({ ...before.totals, layers: 0 });
    const node = after.nodes.res_block_1!;
    expect(node.inputShapes).toEqual([[8, 8, 4]]);
    expect(node.outputShape).toEqual([8, 8, 4]);
    expect(node.params!.trainable).toBe(before.nodes.conv_a!.params!.trainable + before.nodes.bn_a!.params!.trainable);
    expect(after.order).toEqual(['input_1', 'stem', 'res_block_1', 'gap', 'out']);
  });

  it('expands back to the same graph (inner layers renamed under the instance), keeping the block for reuse', () => {
    const blocked = makeBlock(resnet(), RES_BLOCK, 'res_block').spec;
    const expanded = expandBlock(blocked, 'res_block_1');
    expect(expanded.config.layers.map((l) => [l.name, l.inbound])).toEqual([
      ['input_1', []], ['stem', ['input_1']],
      ['res_block_1__conv_a', ['stem']], ['res_block_1__bn_a', ['res_block_1__conv_a']],
      ['res_block_1__add_a', ['stem', 'res_block_1__bn_a']], ['res_block_1__relu_a', ['res_block_1__add_a']],
      ['gap', ['res_block_1__relu_a']], ['out', ['gap']],
    ]);
    expect(analyzeGraph(expanded).totals).toEqual(analyzeGraph(resnet()).totals);
    expect(expanded.blocks!.res_block).toBeDefined();
    expect(expanded.layout['res_block_1__bn_a']).toBeDefined();
  });

  it('reuses a block: two instances stacked flatten to two independent copies', () => {
    let spec = makeBlock(resnet(), RES_BLOCK, 'res_block').spec;
    const second = addBlockInstance(spec, 'res_block', { x: 0, y: 600 });
    spec = connect(second.spec, 'res_block_1', second.name);
    spec = { ...spec, config: { ...spec.config, layers: spec.config.layers.map((l) => (l.name === 'gap' ? { ...l, inbound: [second.name] } : l)) } };
    const flat = flattenBlocks(spec);
    expect(flat.config.layers.filter((l) => l.name.endsWith('__conv_a')).map((l) => l.inbound)).toEqual([['stem'], ['res_block_1__relu_a']]);
    const analysis = analyzeGraph(spec);
    expect(analysis.valid).toBe(true);
    expect(analysis.totals.trainable).toBe(analyzeGraph(resnet()).totals.trainable + analysis.nodes.res_block_2!.params!.trainable);
  });

  it('refuses selections that are not one-in, one-out, saying why', () => {
    const spec = resnet();
    const attempt = (names: string[], name = 'b') => { try { makeBlock(spec, names, name); return null; } catch (e) { return (e as GraphEditError).message; } };
    expect(attempt(['input_1', 'stem'])).toMatch(/cannot contain an Input/);
    expect(attempt(['bn_a', 'add_a'])).toMatch(/reads from conv_a and stem/);
    expect(attempt(['stem', 'conv_a'])).toMatch(/(stem and conv_a|conv_a and stem) both feed layers outside/);
    expect(attempt(RES_BLOCK, 'no spaces!')).toMatch(/not a valid block name/);
    const once = makeBlock(spec, RES_BLOCK, 'res_block').spec;
    expect(() => makeBlock(once, ['gap'], 'res_block')).toThrow(/already a block named "res_block"/);
  });

  it('names a missing block definition on the instance, and surfaces inner problems on the block node', () => {
    const blocked = makeBlock(resnet(), RES_BLOCK, 'res_block').spec;
    const orphan = { ...blocked, blocks: {} };
    expect(analyzeGraph(orphan).nodes.res_block_1!.issues[0]!.message).toMatch(/uses the block "res_block", which is not in this project/);
    const broken = structuredClone(blocked);
    broken.blocks!.res_block!.layers.find((l) => l.name === 'conv_a')!.config.filters = 5; // Add now gets 4 and 5 channels
    const issue = analyzeGraph(broken).nodes.res_block_1!.issues.find((i) => i.severity === 'error')!;
    expect(issue.message).toMatch(/^inside the block, add_a: Add needs inputs of the same shape/);
    expect(issue.fix).toBeUndefined();
  });
});
