import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeBlock } from '../../src-shared/graph/graph-blocks.ts';
import { copyFragment, pasteFragment } from '../../src-shared/graph/graph-clipboard.ts';
import { addLayer, autoLayout, connect, connectionProblem, moveLayer, removeLayers, updateConfig } from '../../src-shared/graph/graph-edits.ts';
import type { ModelSpec } from '../../src-shared/spec/model-spec.ts';
import { getTemplate } from '../../src-shared/spec/templates.ts';
import { EditorStore } from './editor-store.ts';

/** One random edit, chosen by index and numbers so fast-check can shrink a failing sequence. */
type Step = { kind: number; a: number; b: number; x: number };

function applyStep(spec: ModelSpec, { kind, a, b, x }: Step): ModelSpec {
  const names = spec.config.layers.map((l) => l.name);
  const pick = (i: number) => names[i % Math.max(names.length, 1)];
  switch (kind % 8) {
    case 0: return addLayer(spec, ['Dense', 'Dropout', 'Activation', 'Conv2D'][a % 4]!, { x, y: x }).spec;
    case 1: return names.length > 1 ? removeLayers(spec, [pick(a)!]) : spec;
    case 2: return pick(a) ? moveLayer(spec, pick(a)!, { x, y: -x }) : spec;
    case 3: {
      const from = pick(a);
      const to = pick(b);
      return from && to && connectionProblem(spec, from, to) === null ? connect(spec, from, to) : spec;
    }
    case 4: {
      const dense = spec.config.layers.find((l) => l.class_name === 'Dense');
      return dense ? updateConfig(spec, dense.name, { units: 1 + (x % 50) }) : spec;
    }
    case 5: return names.length > 0 ? pasteFragment(spec, copyFragment(spec, [pick(a)!, pick(b)!]), { x: 40, y: 40 }).spec : spec;
    case 6: {
      try {
        return makeBlock(spec, [pick(a)!], `blk${x}`).spec;
      } catch {
        return spec; // not every single layer makes a one-in/one-out block; refused edits change nothing
      }
    }
    default: return autoLayout(spec, { all: true });
  }
}

describe('undo/redo history', () => {
  it('undoing a random edit sequence returns the original graph, and redoing it returns the final one', () => {
    const step = fc.record({ kind: fc.nat(), a: fc.nat(), b: fc.nat(), x: fc.integer({ min: 0, max: 500 }) });
    fc.assert(fc.property(fc.array(step, { minLength: 1, maxLength: 25 }), (steps) => {
      const start = getTemplate('lenet')!.build();
      const store = new EditorStore(start);
      for (const s of steps) store.edit((spec) => applyStep(spec, s));
      const end = store.get().spec;
      while (store.get().canUndo) store.undo();
      expect(store.get().spec).toEqual(start);
      while (store.get().canRedo) store.redo();
      expect(store.get().spec).toEqual(end);
    }), { numRuns: 150, seed: 42 });
  });
});
