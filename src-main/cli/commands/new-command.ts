import fs from 'node:fs';
import path from 'node:path';
import { ImageDataConfigSchema, ProjectSchema, TrainingConfigSchema } from '../../../src-shared/contract/project.ts';
import { TEMPLATES } from '../../../src-shared/spec/templates.ts';
import { findDatasetProblem } from '../../data/image-folder/dataset-problems.ts';
import { scanImageFolder } from '../../data/image-folder/scan-image-folder.ts';
import { writeProjectFile } from '../../projects/project-file.ts';
import { UsageError, type CliIo } from '../cli-io.ts';

export const NEW_HELP = `strata new --template <${TEMPLATES.map((t) => t.id).join('|')}> --data <dir> --out <project.strata.json> [--force]
  Creates a project: the template's graph sized for the dataset's images and classes,
  the dataset reference and default training settings. The window opens it too.
  Text, time-series and GAN templates keep their own input shape.`;

export async function newCommand(args: { template: string; data: string; out: string; force: boolean }, io: CliIo): Promise<number> {
  const template = TEMPLATES.find((t) => t.id === args.template);
  if (!template) throw new UsageError(`unknown template "${args.template}"; choose one of ${TEMPLATES.map((t) => t.id).join(', ')}`);
  const out = path.resolve(args.out);
  if (fs.existsSync(out) && !args.force) {
    throw new UsageError(`${out} already exists; pass --force to overwrite it or choose another --out`);
  }
  const scan = await scanImageFolder(path.resolve(args.data));
  const problem = findDatasetProblem(scan.root, scan.classes, scan.skipped);
  if (problem) throw problem;
  const [h, w] = scan.suggested.imageSize;
  const data = ImageDataConfigSchema.parse({ path: scan.root, imageSize: [h, w], channels: scan.suggested.channels });
  const model = template.build({ inputShape: [h, w, data.channels], classes: scan.classes.length });
  const project = ProjectSchema.parse({
    schemaVersion: 1, kind: 'strata-project', name: path.basename(out).replace(/\.strata\.json$|\.json$/, ''),
    model, data, training: TrainingConfigSchema.parse({}),
  });
  writeProjectFile(out, project);
  io.out(`created ${out}: ${template.title}, ${scan.classes.length} classes (${scan.total} images, ${h}×${w}×${data.channels})` +
    (scan.skipped.length ? `; ${scan.skipped.length} file(s) will be skipped (see strata inspect in the window)` : ''));
  return 0;
}
