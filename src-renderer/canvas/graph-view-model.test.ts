import { describe, expect, it } from 'vitest';
import { analyzeGraph } from '../../src-shared/graph/analyze-graph.ts';
import { addLayer, connect } from '../../src-shared/graph/graph-edits.ts';
import { TEMPLATES } from '../../src-shared/spec/templates.ts';
import { blankSpec } from '../state/editor-store.ts';
import { edgeId, formatCount, parseEdgeId, toFlowEdges, toFlowNodes } from './graph-view-model.ts';

const lenet = TEMPLATES.find((t) => t.id === 'lenet')!.build();

describe('toFlowNodes / toFlowEdges', () => {
  it('labels every LeNet edge with the shape that flows along it', () => {
    const edges = toFlowEdges(lenet, analyzeGraph(lenet), new Set());
    expect(edges.map((e) => [e.source, e.target, e.data?.shape, e.data?.mismatch])).toEqual([
      ['input_1', 'conv2d_1', '(28, 28, 1)', false],
      ['conv2d_1', 'max_pooling2d_1', '(28, 28, 6)', false],
      ['max_pooling2d_1', 'conv2d_2', '(14, 14, 6)', false],
      ['conv2d_2', 'max_pooling2d_2', '(10, 10, 16)', false],
      ['max_pooling2d_2', 'flatten_1', '(5, 5, 16)', false],
      ['flatten_1', 'dense_1', '(400)', false],
      ['dense_1', 'dense_2', '(120)', false],
      ['dense_2', 'dense_3', '(84)', false],
    ]);
  });

  it('gives each node its class, name, output shape, params and position', () => {
    const nodes = toFlowNodes(lenet, analyzeGraph(lenet), new Set(['conv2d_1']));
    expect(nodes[1]).toEqual({
      id: 'conv2d_1', type: 'layer', position: lenet.layout.conv2d_1, selected: true,
      data: {
        className: 'Conv2D', name: 'conv2d_1', category: 'Convolution', inputShape: null, outputShape: '(28, 28, 6)',
        params: 156, severity: null, issues: [], acceptsInput: true, frozen: false,
      },
    });
    expect(nodes[0]?.data.acceptsInput).toBe(false);
  });

  it('marks a layer whose input has the wrong shape, with the fix and a red incoming edge', () => {
    let spec = addLayer(blankSpec(), 'Input', { x: 0, y: 0 }, { shape: [784] }).spec;
    spec = addLayer(spec, 'Conv2D', { x: 0, y: 110 }).spec;
    spec = connect(spec, 'input_1', 'conv2d_1');
    const analysis = analyzeGraph(spec);
    const conv = toFlowNodes(spec, analysis, new Set())[1]!;
    expect({ severity: conv.data.severity, code: conv.data.issues[0]?.code, fix: conv.data.issues[0]?.fix?.insertBefore, shape: conv.data.outputShape })
      .toEqual({ severity: 'error', code: 'SHAPE', fix: { class_name: 'Reshape', config: { target_shape: [28, 28, 1] } }, shape: null });
    expect(toFlowEdges(spec, analysis, new Set())[0]?.data).toEqual({ shape: '(784)', mismatch: true });
  });
});

describe('edge ids', () => {
  it('round-trip, including names with dots and dashes', () => {
    expect(parseEdgeId(edgeId('a.b-1', 'add_1', 2))).toEqual({ from: 'a.b-1', to: 'add_1', slot: 2 });
    expect(parseEdgeId('nonsense')).toBeNull();
  });
});

describe('formatCount', () => {
  it('groups thousands and shortens millions', () => {
    expect([0, 156, 61706, 1_234_567, 23_500_000].map(formatCount)).toEqual(['0', '156', '61,706', '1.23M', '23.5M']);
  });
});
