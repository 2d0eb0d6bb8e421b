import path from 'node:path';
import { generateToFolder } from '../../engine/gan/generate-images.ts';
import type { CliIo } from '../cli-io.ts';

export const GENERATE_HELP = `strata generate <ganRunDir> --count N --out <dir> [--seed S] [--json]
  Writes N images made by a GAN run's generator (its latest checkpoint) to <dir> as
  sample-0000.png …, scaled from the generator's [-1, 1] to 0–255. The same --seed
  (default 1) writes the same images.`;

export async function generateCommand(args: { runDir: string; count: number; out: string; seed: number; json: boolean }, io: CliIo): Promise<number> {
  const out = path.resolve(args.out);
  const { files, epoch } = await generateToFolder(path.resolve(args.runDir), { count: args.count, out, seed: args.seed });
  if (args.json) io.out(JSON.stringify({ out, epoch, files }));
  else io.out(`wrote ${files.length} images from the generator of epoch ${epoch} to ${out}`);
  return 0;
}
