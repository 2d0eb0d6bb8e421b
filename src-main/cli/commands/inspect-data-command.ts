import path from 'node:path';
import type { DataHealthReport } from '../../../src-shared/contract/data-health.ts';
import { imageFolderHealth } from '../../data/image-folder/image-health-report.ts';
import type { CliIo } from '../cli-io.ts';

export const INSPECT_DATA_HELP = `strata inspect-data <folder> [--json] [--validation-split 0.2] [--seed 42]
  The health report of an image dataset (one sub-folder per class): images per class and
  their balance, every file that will be skipped and why, identical and near-identical
  pictures, copies that leak across the train/validation split (split as training splits
  it), image sizes and channel layouts, and what to do about each finding.
  Exits 1 when a finding is an error (e.g. one picture under two labels, leakage).`;

function formatReport(r: DataHealthReport): string {
  const lines = [`${r.root}: ${r.total} images in ${r.classes.length} classes (validation ${Math.round(r.split.validationSplit * 100)}%, seed ${r.split.seed})`, ''];
  lines.push(`  ${'class'.padEnd(20)} ${'images'.padStart(7)} ${'train'.padStart(7)} ${'valid.'.padStart(7)}`);
  for (const c of r.classes) lines.push(`  ${c.name.padEnd(20)} ${String(c.count).padStart(7)} ${String(c.train).padStart(7)} ${String(c.validation).padStart(7)}`);
  lines.push(`  imbalance ${r.imbalance.toFixed(1)}× (largest ÷ smallest class)`);
  lines.push(`  sizes: ${r.sizes.slice(0, 6).map((s) => `${s.size} ×${s.count}`).join(', ')}${r.sizes.length > 6 ? `, … (${r.sizes.length} sizes)` : ''}`);
  lines.push(`  channels: ${r.channels.map((c) => `${c.layout} ×${c.count}`).join(', ')}`);
  if (r.findings.length > 0) {
    lines.push('', '  findings:');
    for (const f of r.findings) lines.push(`    [${f.severity}] ${f.message}`);
  }
  if (r.skipped.length > 0) {
    lines.push('', `  skipped (${r.skipped.length}):`);
    for (const s of r.skipped) lines.push(`    ${s.file}: ${s.reason}`);
  }
  const groups = (title: string, list: DataHealthReport['duplicates']) => {
    if (list.length === 0) return;
    lines.push('', `  ${title} (${list.length}):`);
    for (const g of list) lines.push(`    ${g.files.join('  =  ')}${g.crossClass ? '   [different classes]' : ''}${g.splits.length > 1 ? '   [train + validation]' : ''}`);
  };
  groups('identical files', r.duplicates);
  groups('near-identical pictures', r.nearDuplicates);
  return lines.join('\n');
}

export async function inspectDataCommand(args: { folder: string; json: boolean; validationSplit?: number; seed?: number }, io: CliIo): Promise<number> {
  const report = await imageFolderHealth(path.resolve(args.folder), {
    ...(args.validationSplit !== undefined && { validationSplit: args.validationSplit }),
    ...(args.seed !== undefined && { seed: args.seed }),
  });
  io.out(args.json ? JSON.stringify(report) : formatReport(report));
  return report.findings.some((f) => f.severity === 'error') ? 1 : 0;
}
