import type { Explanation } from '../../src-shared/contract/explanation.ts';

/** The k most likely classes, highest first (ties keep class order). */
export function topProbabilities(e: Pick<Explanation, 'classes' | 'probabilities'>, k: number): Array<{ name: string; p: number }> {
  return e.classes
    .map((name, i) => ({ name, p: e.probabilities[i] ?? 0, i }))
    .sort((a, b) => b.p - a.p || a.i - b.i)
    .slice(0, k)
    .map(({ name, p }) => ({ name, p }));
}
