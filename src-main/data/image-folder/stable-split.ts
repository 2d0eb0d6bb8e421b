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

/**
 * Which files of one class go to validation: those whose score is below `validationSplit`.
 * Two corrections keep every class present on both sides when it has two or more images:
 * if none scored into validation, the lowest-scoring file goes there; if all did, the
 * highest-scoring one stays in training. A single image always trains. Only files moved by
 * these corrections can change side when files are added (their class was tiny anyway).
 */
export function chooseValidation(
  className: string,
  pathsInClass: readonly string[],
  validationSplit: number,
  seed: number,
): boolean[] {
  const scores = pathsInClass.map((p) => splitScore(seed, className, p));
  const isValidation = scores.map((s) => s < validationSplit);
  if (pathsInClass.length < 2) return isValidation.map(() => false);
  const pick = (side: boolean, better: (a: number, b: number) => boolean): number => {
    let best = -1;
    scores.forEach((s, i) => {
      if (isValidation[i] === side && (best < 0 || better(s, scores[best]!))) best = i;
    });
    return best;
  };
  if (!isValidation.includes(true)) isValidation[pick(false, (a, b) => a < b)] = true;
  if (!isValidation.includes(false)) isValidation[pick(true, (a, b) => a > b)] = false;
  return isValidation;
}
