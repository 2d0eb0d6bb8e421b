import { describe, expect, it } from 'vitest';
import { loadEngineBackend } from './load-engine-backend.ts';

describe("Strata's native Step kernel (relu's derivative)", () => {
  it('matches the pure-JS reference: 1 above zero, alpha at or below, NaN kept', async () => {
    const { tf } = await loadEngineBackend();
    const values = [-2, -0, 0, 1e-30, 3, Number.NaN, -Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
    const x = tf.tensor1d(values);
    for (const alpha of [0, 0.2]) {
      const got = Array.from((tf.engine().runKernel('Step', { x }, { alpha }) as ReturnType<typeof tf.tensor1d>).dataSync());
      const want = values.map((v) => (Number.isNaN(v) ? Number.NaN : v > 0 ? 1 : alpha));
      expect(got.map((v) => Number.isNaN(v) ? 'NaN' : v.toFixed(6))).toEqual(want.map((v) => Number.isNaN(v) ? 'NaN' : v.toFixed(6)));
    }
  });

  it('gives relu the same gradient as before', async () => {
    const { tf } = await loadEngineBackend();
    const x = tf.tensor2d([[-1, 2], [0.5, -3]]);
    const g = tf.grad((t) => tf.relu(t).mul(tf.tensor2d([[1, 2], [3, 4]])).sum())(x);
    expect(g.arraySync()).toEqual([[0, 2], [3, 0]]);
  });
});
