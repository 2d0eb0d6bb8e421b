import type { DataConfig } from '../../../src-shared/contract/data-config.ts';
import type { DataHealthReport, ImageHealthReport, TableHealthReport, TextHealthReport } from '../../../src-shared/contract/data-health.ts';
import { datasetHealth } from '../../data/dataset-health.ts';
import type { CliIo } from '../cli-io.ts';
import { dataConfigFromFlags, DATA_FLAGS_HELP, type DataFlags } from './data-flags.ts';

export const INSPECT_DATA_HELP = `strata inspect-data <folder or file.csv> [--json] [data options]
  The health report of a dataset, split exactly as training splits it. Images (a sub-folder
  per class, or a flat folder with a labels CSV): images per class and their balance, every
  skipped file and why, identical and near-identical pictures, copies that leak across the
  split, image sizes and channel layouts. A CSV table: each column's type, missing values,
  constant columns, the target's distribution, duplicate rows, skipped (ragged) rows. Texts:
  texts per class, length distribution, vocabulary coverage, duplicates.
  Exits 1 when a finding is an error (e.g. one picture under two labels, leakage).
${DATA_FLAGS_HELP}`;

type Lines = string[];

function classTable(lines: Lines, classes: ImageHealthReport['classes'], unit: string): void {
  lines.push(`  ${'class'.padEnd(20)} ${unit.padStart(7)} ${'train'.padStart(7)} ${'valid.'.padStart(7)} ${'test'.padStart(7)}`);
  for (const c of classes) lines.push(`  ${c.name.padEnd(20)} ${String(c.count).padStart(7)} ${String(c.train).padStart(7)} ${String(c.validation).padStart(7)} ${String(c.test).padStart(7)}`);
}

function groups(lines: Lines, title: string, list: ImageHealthReport['duplicates']): void {
  if (list.length === 0) return;
  lines.push('', `  ${title} (${list.length}):`);
  for (const g of list) lines.push(`    ${g.files.join('  =  ')}${g.crossClass ? '   [different classes]' : ''}${g.splits.length > 1 ? `   [${g.splits.join(' + ')}]` : ''}`);
}

function splitText(r: { split: DataHealthReport['split'] }): string {
  const test = r.split.testSplit > 0 ? `, test ${Math.round(r.split.testSplit * 100)}%` : '';
  return `validation ${Math.round(r.split.validationSplit * 100)}%${test}, seed ${r.split.seed}`;
}

function imageLines(r: ImageHealthReport): Lines {
  const lines = [`${r.root}: ${r.total} images in ${r.classes.length} classes (${splitText(r)})`, ''];
  classTable(lines, r.classes, 'images');
  lines.push(`  imbalance ${r.imbalance.toFixed(1)}× (largest ÷ smallest class)`);
  lines.push(`  sizes: ${r.sizes.slice(0, 6).map((s) => `${s.size} ×${s.count}`).join(', ')}${r.sizes.length > 6 ? `, … (${r.sizes.length} sizes)` : ''}`);
  lines.push(`  channels: ${r.channels.map((c) => `${c.layout} ×${c.count}`).join(', ')}`);
  return lines;
}

function tableLines(r: TableHealthReport): Lines {
  const lines = [`${r.root}: ${r.rows} rows, ${r.columns.length} columns (delimiter "${r.delimiter === '\t' ? '\\t' : r.delimiter}"; ${splitText(r)})`, ''];
  lines.push(`  ${'column'.padEnd(20)} ${'type'.padEnd(12)} ${'missing'.padStart(7)} ${'unique'.padStart(7)}  range / top values`);
  for (const c of r.columns) {
    // Values may hold quoted newlines; keep each column on one line.
    const shown = (v: string) => (v.length > 24 ? `${v.slice(0, 23)}…` : v).replace(/\r?\n/g, '⏎');
    const detail = c.numeric ? `${c.numeric.min} … ${c.numeric.max} (mean ${c.numeric.mean.toPrecision(4)})` : c.top.slice(0, 4).map((t) => `${shown(t.value)} ×${t.count}`).join(', ');
    lines.push(`  ${c.name.padEnd(20)} ${(c.type + (c.constant ? ' (const)' : '')).padEnd(12)} ${String(c.missing).padStart(7)} ${String(c.unique).padStart(7)}  ${detail}`);
  }
  if (r.target) {
    lines.push('', `  target "${r.target.column}" (${r.target.task}):`);
    if (r.target.task === 'classification') classTable(lines, r.target.classes, 'rows');
    else for (const b of r.target.histogram) lines.push(`    ${b.from.toPrecision(4).padStart(10)} – ${b.to.toPrecision(4).padEnd(10)} ${'#'.repeat(Math.ceil((b.count / r.rows) * 40))} ${b.count}`);
  }
  lines.push(`  duplicate rows: ${r.duplicateRows}`);
  return lines;
}

function textLines(r: TextHealthReport): Lines {
  const lines = [`${r.root}: ${r.total} texts in ${r.classes.length} classes (${splitText(r)})`, ''];
  classTable(lines, r.classes, 'texts');
  const l = r.lengths;
  lines.push(`  tokens per text: median ${l.median}, 95% ≤ ${l.p95}, longest ${l.max}; ${Math.round(l.truncated * 100)}% longer than the sequence length ${l.sequenceLength}`);
  const v = r.vocabulary;
  lines.push(`  vocabulary: ${v.distinct} distinct training words; the ${v.vocabSize}-word vocabulary covers ${Math.round(v.trainCoverage * 100)}% of training and ${Math.round(v.validationCoverage * 100)}% of validation words`);
  return lines;
}

function formatReport(r: DataHealthReport): string {
  const lines = r.kind === 'image-folder' ? imageLines(r) : r.kind === 'csv-table' ? tableLines(r) : textLines(r);
  if (r.findings.length > 0) {
    lines.push('', '  findings:');
    for (const f of r.findings) lines.push(`    [${f.severity}] ${f.message}`);
  }
  if (r.skipped.length > 0) {
    lines.push('', `  skipped (${r.skipped.length}):`);
    for (const s of r.skipped) lines.push(`    ${s.file}: ${s.reason}`);
  }
  if (r.kind !== 'csv-table') groups(lines, r.kind === 'text' ? 'identical texts' : 'identical files', r.duplicates);
  if (r.kind === 'image-folder') groups(lines, 'near-identical pictures', r.nearDuplicates);
  return lines.join('\n');
}

export async function inspectDataCommand(args: { path: string; json: boolean; flags: DataFlags }, io: CliIo): Promise<number> {
  const config: DataConfig = dataConfigFromFlags(args.path, args.flags);
  const report = await datasetHealth(config);
  io.out(args.json ? JSON.stringify(report) : formatReport(report));
  return report.findings.some((f) => f.severity === 'error') ? 1 : 0;
}
