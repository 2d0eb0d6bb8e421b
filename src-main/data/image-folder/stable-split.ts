import { createHash } from 'node:crypto';

/**
 * A number in [0, 1) fixed by the seed, the class and the file's path inside its class folder.
 * Hashing each file on its own (instead of shuffling the list) is what keeps a file in the
 * same split when other files are added or removed, so a re-imported, grown folder never
 * moves a former validation image into training. NFC-normalised because macOS stores
 * accented names decomposed and other systems do not; the same folder must split the same.
 */
export function splitScore(seed: number, className: string, pathInClass: string): number {
  const key = `${seed}\u0000${className.normalize('NFC')}\u0000${pathInClass.normalize('NFC')}`;
  return createHash('sha256').update(key, 'utf8').digest().readUInt32BE(0) / 2 ** 32;
}

export type SplitName = 'train' | 'validation' | 'test';

/**
 * Which side each item of one group (a class, or a whole table) falls on: test when its
 * score is below `testSplit`, validation when below `testSplit + validationSplit`, else
 * train — so with no test split a file's side is what it always was. Corrections keep each
 * side present when the group is big enough: with two or more items, at least one
 * validates and one trains; with three or more and a test split, at least one tests. A
 * single item always trains. Only items moved by a correction can change side when items
 * are added (their group was tiny anyway).
 */
export function assignSplits(
  group: string,
  keys: readonly string[],
  validationSplit: number,
  testSplit: number,
  seed: number,
): SplitName[] {
  const scores = keys.map((k) => splitScore(seed, group, k));
  const sides = scores.map((s): SplitName => (s < testSplit ? 'test' : s < testSplit + validationSplit ? 'validation' : 'train'));
  if (keys.length < 2) return sides.map(() => 'train');
  // Moves the item of side `from` with the lowest (or highest) score to side `to`.
  const move = (from: SplitName, to: SplitName, lowest: boolean): void => {
    let best = -1;
    scores.forEach((s, i) => {
      if (sides[i] === from && (best < 0 || (lowest ? s < scores[best]! : s > scores[best]!))) best = i;
    });
    if (best >= 0) sides[best] = to;
  };
  if (testSplit > 0 && keys.length >= 3 && !sides.includes('test')) move(sides.includes('validation') ? 'validation' : 'train', 'test', true);
  if (!sides.includes('validation')) move('train', 'validation', true);
  if (!sides.includes('train')) move(sides.filter((x) => x === 'validation').length > 1 ? 'validation' : 'test', 'train', false);
  return sides;
}

/** Which files of one class go to validation when there is no test split (see assignSplits). */
export function chooseValidation(
  className: string,
  pathsInClass: readonly string[],
  validationSplit: number,
  seed: number,
): boolean[] {
  return assignSplits(className, pathsInClass, validationSplit, 0, seed).map((s) => s === 'validation');
}
