import path from 'node:path';
import { ExportFormatSchema, type ParityResult } from '../../../src-shared/contract/export.ts';
import { exportRun } from '../../engine/export/export-run.ts';
import { predictFiles } from '../../engine/run-services.ts';
import { UsageError, type CliIo } from '../cli-io.ts';

export const PREDICT_HELP = `strata predict <runDir> <image…> [--json]
  Classifies images with the run's latest checkpoint: the class and the probabilities.`;
export const EXPORT_HELP = `strata export <runDir> --format tfjs|onnx|keras|python|report --out <path> [--distributed] [--json]
  Writes the run's latest weights and proves the export: the runtime that will load it
  (a clean tfjs-node process, onnxruntime, Python Keras) predicts the run's validation
  inputs and is compared with Strata (max abs difference, top-class agreement).
  tfjs: a folder (model.json, weights.bin, metadata.json); onnx: a .onnx file; keras: a
  .keras file; python: a folder with train.py and a data manifest (--distributed: under
  MultiWorkerMirroredStrategy, configured by TF_CONFIG); report: a self-contained .html model card.`;

export async function predictCommand(args: { runDir: string; images: string[]; json: boolean }, io: CliIo): Promise<number> {
  if (args.images.length === 0) throw new UsageError('name at least one image to classify');
  const predictions = await predictFiles(args.runDir, args.images.map((f) => path.resolve(f)));
  for (const p of predictions) {
    if (args.json) io.out(JSON.stringify(p));
    else {
      const top = Object.entries(p.probabilities).sort((a, b) => b[1] - a[1]).slice(0, 3).map(([c, v]) => `${c} ${(v * 100).toFixed(1)}%`).join(', ');
      io.out(`${p.file}: ${p.predicted}  (${top})`);
    }
  }
  return 0;
}

export async function exportCommand(args: { runDir: string; format: string; out: string; distributed: boolean; json: boolean }, io: CliIo): Promise<number> {
  const format = ExportFormatSchema.safeParse(args.format);
  if (!format.success) throw new UsageError(`--format must be one of ${ExportFormatSchema.options.join(', ')}, not "${args.format}"`);
  if (args.distributed && format.data !== 'python') throw new UsageError('--distributed applies to --format python only');
  const result = await exportRun(args.runDir, format.data, args.out, { distributed: args.distributed });
  if (args.json) {
    io.out(JSON.stringify(result));
  } else {
    io.out(`exported ${result.format} to ${result.path}: ${result.files.join(', ')}`);
    for (const note of result.notes) io.out(`  note: ${note}`);
    if (result.parity) io.out(`  ${describeParity(result.parity)}`);
  }
  // An export that loads differently from Strata is a failure worth an exit code.
  return result.parity && !result.parity.passed && result.parity.skipped === null ? 1 : 0;
}

/** One line: what loaded the export and how close its predictions were. */
export function describeParity(p: ParityResult): string {
  if (p.skipped) return `parity not checked: ${p.skipped}`;
  const diff = p.maxAbsDiff === null ? 'outputs not comparable' : `max abs diff ${p.maxAbsDiff.toExponential(2)}`;
  return `parity ${p.passed ? 'passed' : 'FAILED'} (${p.runtime}, ${p.samples} validation inputs): ${diff}, top class agrees on ${(p.argmaxAgreement * 100).toFixed(1)} %`;
}
