import path from 'node:path';
import { exportTfjs, predictFiles } from '../../engine/run-services.ts';
import { UsageError, type CliIo } from '../cli-io.ts';

export const PREDICT_HELP = `strata predict <runDir> <image…> [--json]
  Classifies images with the run's latest checkpoint: the class and the probabilities.`;
export const EXPORT_HELP = `strata export <runDir> --format tfjs --out <dir>
  Writes the run's latest weights as a tfjs layers model (model.json + weights.bin) with
  metadata.json (classes, input size and range).`;

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

export async function exportCommand(args: { runDir: string; format: string; out: string }, io: CliIo): Promise<number> {
  if (args.format !== 'tfjs') throw new UsageError(`--format ${args.format} is not available yet; use --format tfjs`);
  const { outDir, files } = await exportTfjs(args.runDir, args.out);
  io.out(`exported to ${outDir}: ${files.join(', ')}`);
  return 0;
}
