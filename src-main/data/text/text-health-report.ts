import { createHash } from 'node:crypto';
import { TextDataConfigSchema, type TextDataConfig } from '../../../src-shared/contract/data-config.ts';
import type { TextHealthReport } from '../../../src-shared/contract/data-health.ts';
import type { SplitName } from '../image-folder/stable-split.ts';
import { splitTexts } from './load-text-dataset.ts';
import { buildVocabulary, tokenize } from './tokenize.ts';

/**
 * The health report of a text dataset: texts per class and balance, every skipped file or
 * row with why, the length distribution against the sequence length (how many texts get
 * cut), how much of the training and validation text the vocabulary covers, identical
 * texts and those that straddle the split.
 */
export async function textHealth(config: Partial<TextDataConfig> & { path: string }): Promise<TextHealthReport> {
  const full = TextDataConfigSchema.parse({ ...config, kind: 'text' });
  const { collection, sides } = await splitTexts(full);
  const sideOf = new Map<string, SplitName>();
  for (const side of ['train', 'validation', 'test'] as const) for (const item of sides[side]) sideOf.set(item.id, side);
  const tokens = new Map(collection.items.map((i) => [i.id, tokenize(i.text, full.lowercase)]));

  const classes = collection.classes.map((name) => {
    const n = (side: SplitName) => sides[side].filter((i) => i.label === name).length;
    return { name, count: n('train') + n('validation') + n('test'), train: n('train'), validation: n('validation'), test: n('test') };
  });
  const counts = classes.map((c) => c.count);

  const lengths = collection.items.map((i) => tokens.get(i.id)!.length).sort((a, b) => a - b);
  const quantile = (q: number) => lengths[Math.min(lengths.length - 1, Math.floor(q * lengths.length))]!;
  const max = lengths[lengths.length - 1]!;
  const binWidth = Math.max(1, Math.ceil((max + 1) / 10));
  const histogram = Array.from({ length: Math.ceil((max + 1) / binWidth) }, (_, b) => ({ from: b * binWidth, to: (b + 1) * binWidth - 1, count: 0 }));
  for (const n of lengths) histogram[Math.floor(n / binWidth)]!.count++;

  const vocabulary = new Set(buildVocabulary(sides.train.map((i) => tokens.get(i.id)!), full.vocabSize));
  const coverage = (side: SplitName) => {
    let all = 0;
    let known = 0;
    for (const item of sides[side]) for (const t of tokens.get(item.id)!) { all++; if (vocabulary.has(t)) known++; }
    return all === 0 ? 1 : known / all;
  };
  const distinct = new Set(sides.train.flatMap((i) => tokens.get(i.id)!)).size;

  const byHash = new Map<string, string[]>();
  for (const item of collection.items) {
    const h = createHash('sha256').update(item.text.trim().replace(/\s+/g, ' ')).digest('hex');
    byHash.set(h, [...(byHash.get(h) ?? []), item.id]);
  }
  const labelOf = new Map(collection.items.map((i) => [i.id, i.label]));
  const duplicates = [...byHash.values()].filter((ids) => ids.length > 1).map((files) => ({
    files,
    splits: [...new Set(files.map((f) => sideOf.get(f)!))].sort(),
    crossClass: new Set(files.map((f) => labelOf.get(f))).size > 1,
  }));
  const report: TextHealthReport = {
    root: collection.root, kind: 'text',
    split: { validationSplit: full.validationSplit, testSplit: full.testSplit, seed: full.seed },
    classes, total: collection.items.length, imbalance: Math.max(...counts) / Math.max(1, Math.min(...counts)),
    skipped: collection.skipped,
    lengths: {
      histogram, median: quantile(0.5), p95: quantile(0.95), max,
      sequenceLength: full.sequenceLength, truncated: lengths.filter((n) => n > full.sequenceLength).length / lengths.length,
    },
    vocabulary: { distinct, vocabSize: full.vocabSize, trainCoverage: coverage('train'), validationCoverage: coverage('validation') },
    duplicates, leakage: duplicates.filter((g) => g.splits.length > 1).length, findings: [],
  };
  report.findings = textFindings(report);
  return report;
}

function textFindings(r: TextHealthReport): TextHealthReport['findings'] {
  const findings: TextHealthReport['findings'] = [];
  for (const g of r.duplicates.filter((g) => g.crossClass).slice(0, 5)) {
    findings.push({ severity: 'error', message: `The same text has different labels: ${g.files.join(' and ')}. Keep the right label only.` });
  }
  if (r.leakage > 0) findings.push({ severity: 'error', message: `${r.leakage} text(s) appear on both sides of the split; measured accuracy will look better than it is. Remove the copies.` });
  if (r.imbalance >= 3) findings.push({ severity: 'warning', message: `Classes are imbalanced (${r.imbalance.toFixed(1)}× between the largest and the smallest).` });
  for (const c of r.classes.filter((c) => c.count < 10)) findings.push({ severity: 'warning', message: `Class "${c.name}" has only ${c.count} text(s): too few to learn or to validate on.` });
  if (r.lengths.truncated > 0.2) {
    findings.push({ severity: 'warning', message: `${Math.round(r.lengths.truncated * 100)}% of texts are longer than the sequence length (${r.lengths.sequenceLength} tokens) and will be cut; 95% are at most ${r.lengths.p95} tokens.` });
  } else if (r.lengths.p95 < r.lengths.sequenceLength / 4) {
    findings.push({ severity: 'info', message: `95% of texts are at most ${r.lengths.p95} tokens; a sequence length of ${Math.max(8, r.lengths.p95)} would train faster than ${r.lengths.sequenceLength}.` });
  }
  if (r.vocabulary.validationCoverage < 0.8) {
    findings.push({ severity: 'warning', message: `The vocabulary (${r.vocabulary.vocabSize} words) covers ${Math.round(r.vocabulary.validationCoverage * 100)}% of validation words; the rest are unknown to the model. A larger vocabulary or more training text would help.` });
  }
  if (r.skipped.length > 0) findings.push({ severity: 'warning', message: `${r.skipped.length} file(s) or row(s) will be skipped; each is listed with its reason.` });
  return findings;
}
