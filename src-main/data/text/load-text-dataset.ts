import type { TextDataConfig } from '../../../src-shared/contract/data-config.ts';
import { assignSplits, type SplitName } from '../image-folder/stable-split.ts';
import { memorySplit, type DataSplit, type LoadedDataset } from '../loaded-dataset.ts';
import { readTexts, type LabelledText, type TextCollection } from './read-texts.ts';
import { buildVocabulary, encodeTokens, tokenize, vocabularyIndex } from './tokenize.ts';

export interface SplitTexts {
  collection: TextCollection;
  sides: Record<SplitName, LabelledText[]>;
}

/**
 * Splits texts per class (so every class is on every side). A text's side is fixed by its
 * file path in its class folder, or for a CSV by the text itself — stable when files or
 * rows are added, and identical texts always land on the same side.
 */
export async function splitTexts(config: TextDataConfig): Promise<SplitTexts> {
  const collection = await readTexts(config);
  const sides: Record<SplitName, LabelledText[]> = { train: [], validation: [], test: [] };
  for (const label of collection.classes) {
    const items = collection.items.filter((i) => i.label === label);
    const keys = items.map((i) => (collection.source === 'folder' ? i.id.slice(label.length + 1) : i.text));
    assignSplits(label, keys, config.validationSplit, config.testSplit, config.seed).forEach((side, k) => sides[side].push(items[k]!));
  }
  return { collection, sides };
}

/**
 * Texts as training data: token ids in rows of `sequenceLength`, from a vocabulary of the
 * most frequent words in the training split only (validation words the model never saw in
 * training become "unknown", as they will for new texts).
 */
export async function loadTextDataset(config: TextDataConfig): Promise<LoadedDataset> {
  const { collection, sides } = await splitTexts(config);
  const tokens = new Map<LabelledText, string[]>();
  for (const item of collection.items) tokens.set(item, tokenize(item.text, config.lowercase));
  const vocabulary = buildVocabulary(sides.train.map((i) => tokens.get(i)!), config.vocabSize);
  const index = vocabularyIndex(vocabulary);
  const length = config.sequenceLength;
  const toSplit = (items: readonly LabelledText[]): DataSplit => {
    const x = new Float32Array(items.length * length);
    items.forEach((item, k) => encodeTokens(tokens.get(item)!, index, length, x, k * length));
    return memorySplit(x, length, Int32Array.from(items, (i) => collection.classes.indexOf(i.label)), items.map((i) => i.id));
  };
  return {
    kind: 'text', sampleShape: [length],
    targets: { type: 'classes', classes: collection.classes },
    train: toSplit(sides.train), validation: toSplit(sides.validation), test: toSplit(sides.test),
    skipped: collection.skipped,
    preprocessing: { kind: 'text', vocabulary, sequenceLength: length, lowercase: config.lowercase },
    augmentation: null,
  };
}
