import fs from 'node:fs';
import path from 'node:path';
import { attributionFor, exportTfjs, predictFiles } from '../../engine/run-services.ts';
import { UsageError, type CliIo } from '../cli-io.ts';

export const PREDICT_HELP = `strata predict <runDir> <image…> [--json]
  Classifies images with the run's latest checkpoint: the class and the probabilities.`;
export const EXPLAIN_HELP = `strata explain <runDir> --input <image> --method vanilla|gradcam [--out <png>] [--json]
  Saliency of the predicted class: --out writes the map over the image as a PNG; --json
  prints the prediction and the map itself (width, height, map: row-major, 0–1).`;
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

export async function explainCommand(args: { runDir: string; input: string; method: string; out?: string; json: boolean }, io: CliIo): Promise<number> {
  if (args.method !== 'vanilla' && args.method !== 'gradcam') throw new UsageError(`--method must be vanilla or gradcam, not "${args.method}"`);
  if (!args.out && !args.json) throw new UsageError('give --out <png> to write the map, or --json to print it');
  const result = await attributionFor(args.runDir, path.resolve(args.input), args.method);
  if (args.out) {
    fs.mkdirSync(path.dirname(path.resolve(args.out)), { recursive: true });
    fs.writeFileSync(args.out, result.overlay);
  }
  if (args.json) {
    io.out(JSON.stringify({
      predicted: result.predicted,
      probabilities: Object.fromEntries(result.classes.map((c, i) => [c, result.probabilities[i]])),
      method: args.method, width: result.map.width, height: result.map.height, map: Array.from(result.map.map),
    }));
  } else {
    io.out(`${args.input}: ${result.predicted}; ${args.method} map written to ${path.resolve(args.out!)}`);
  }
  return 0;
}

export async function exportCommand(args: { runDir: string; format: string; out: string }, io: CliIo): Promise<number> {
  if (args.format !== 'tfjs') throw new UsageError(`--format ${args.format} is not available yet; use --format tfjs`);
  const { outDir, files } = await exportTfjs(args.runDir, args.out);
  io.out(`exported to ${outDir}: ${files.join(', ')}`);
  return 0;
}
