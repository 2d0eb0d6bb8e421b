import fs from 'node:fs';
import { seededRandom } from '../../../src-shared/util/seeded-random.ts';

/**
 * A CSV of 400 house-like rows for regression tests: price = 1000 + 300·a − 200·b + 500 if
 * red, plus a little noise — so a model that learns it has a known, near-perfect fit.
 */
export function writePriceTable(file: string, seed = 2): void {
  const r = seededRandom(seed);
  const lines = ['a,b,colour,price'];
  for (let i = 0; i < 400; i++) {
    const a = r() * 10;
    const b = r() * 5;
    const colour = ['red', 'green'][i % 2]!;
    lines.push(`${a},${b},${colour},${(1000 + 300 * a - 200 * b + (colour === 'red' ? 500 : 0) + (r() - 0.5) * 50).toFixed(0)}`);
  }
  fs.writeFileSync(file, lines.join('\n'));
}
