import type * as tfType from '@tensorflow/tfjs';

/**
 * Measures the backend's float32 matmul throughput. One number that separates the engines
 * by orders of magnitude (native ≫ wasm ≫ pure-JS cpu), cheap enough to run on every
 * `strata doctor`: it stops after `budgetMs` of timed work.
 */
export async function measureMatmulGflops(
  tf: typeof tfType,
  { size = 384, budgetMs = 400, minIterations = 3 }: { size?: number; budgetMs?: number; minIterations?: number } = {},
): Promise<number> {
  const a = tf.randomNormal([size, size]);
  const b = tf.randomNormal([size, size]);
  try {
    // Warm-up: the first calls compile kernels, allocate scratch space and spin up threads.
    for (let i = 0; i < 2; i++) {
      const warm = tf.matMul(a, b);
      warm.dataSync();
      warm.dispose(); // tidy() would hand back (and so keep) its result
    }
    let iterations = 0;
    const start = performance.now();
    let elapsed = 0;
    while (iterations < minIterations || elapsed < budgetMs) {
      const c = tf.matMul(a, b);
      await c.data(); // forces the work to finish on async backends
      c.dispose();
      iterations += 1;
      elapsed = performance.now() - start;
    }
    const flops = 2 * size ** 3 * iterations;
    return flops / (elapsed / 1000) / 1e9;
  } finally {
    a.dispose();
    b.dispose();
  }
}
