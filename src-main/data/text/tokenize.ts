/**
 * Words as the text models see them: runs of letters, digits and apostrophes (any script),
 * optionally lower-cased. Deliberately simple and dependency-free so the same texts give
 * the same ids in training, in prediction and in an exported model's documentation.
 */
export function tokenize(text: string, lowercase: boolean): string[] {
  return (lowercase ? text.toLowerCase() : text).normalize('NFC').match(/[\p{L}\p{N}']+/gu) ?? [];
}

/** Reserved ids: 0 pads a short text, 1 stands for any word outside the vocabulary. */
export const PAD_ID = 0;
export const UNKNOWN_ID = 1;

/**
 * The `vocabSize − 2` most frequent words of the training texts (ties broken alphabetically,
 * so the same texts always give the same ids). Word i gets id i + 2.
 */
export function buildVocabulary(trainingTokens: Iterable<readonly string[]>, vocabSize: number): string[] {
  const counts = new Map<string, number>();
  for (const tokens of trainingTokens) for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, Math.max(0, vocabSize - 2))
    .map(([word]) => word);
}

/**
 * A text's ids in a fixed-length row: cut to the first `length` tokens, and padded at the
 * front (Keras' pad_sequences default) so a recurrent layer reads the words last, right
 * before its output, instead of a run of padding.
 */
export function encodeTokens(tokens: readonly string[], index: ReadonlyMap<string, number>, length: number, out: Float32Array, offset: number): void {
  const kept = tokens.length > length ? tokens.slice(0, length) : tokens;
  const pad = length - kept.length;
  out.fill(PAD_ID, offset, offset + pad);
  kept.forEach((t, i) => { out[offset + pad + i] = index.get(t) ?? UNKNOWN_ID; });
}

export function vocabularyIndex(vocabulary: readonly string[]): Map<string, number> {
  return new Map(vocabulary.map((w, i) => [w, i + 2]));
}
