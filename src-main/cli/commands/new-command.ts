import fs from 'node:fs';
import path from 'node:path';
import type { DataConfig } from '../../../src-shared/contract/data-config.ts';
import { ProjectSchema, TrainingConfigSchema } from '../../../src-shared/contract/project.ts';
import { TEMPLATES } from '../../../src-shared/spec/templates.ts';
import { findDatasetProblem } from '../../data/image-folder/dataset-problems.ts';
import { scanImageFolder } from '../../data/image-folder/scan-image-folder.ts';
import { closeDataset, loadDataset, sampleNoun } from '../../data/load-dataset.ts';
import { outputsPerSample } from '../../data/loaded-dataset.ts';
import { writeProjectFile } from '../../projects/project-file.ts';
import { UsageError, type CliIo } from '../cli-io.ts';
import { dataConfigFromFlags, DATA_FLAGS_HELP, type DataFlags } from './data-flags.ts';

export const NEW_HELP = `strata new --template <${TEMPLATES.map((t) => t.id).join('|')}> --data <folder or file.csv> --out <project.strata.json> [--force] [data options]
  Creates a project: the template's graph sized for the dataset (input shape; one output
  per class, or linear outputs for regression), the dataset reference and default
  training settings. The window opens it too. GAN templates keep their own input shape.
${DATA_FLAGS_HELP}`;

/** The template's sizes for a dataset: read from the images' headers, or from loading a table/text/series. */
async function sizeFor(data: DataConfig): Promise<{ data: DataConfig; inputShape: number[]; outputs: number; task: 'classification' | 'regression'; vocabSize?: number; summary: string; skipped: number }> {
  if (data.kind === 'image-folder' && !data.labels) {
    const scan = await scanImageFolder(data.path);
    const problem = findDatasetProblem(scan.root, scan.classes, scan.skipped);
    if (problem) throw problem;
    const [h, w] = scan.suggested.imageSize;
    const sized = { ...data, imageSize: [h, w] as [number, number], channels: scan.suggested.channels };
    return { data: sized, inputShape: [h, w, sized.channels], outputs: scan.classes.length, task: 'classification', summary: `${scan.classes.length} classes (${scan.total} images, ${h}×${w}×${sized.channels})`, skipped: scan.skipped.length };
  }
  const loaded = await loadDataset(data);
  try {
    const outputs = outputsPerSample(loaded.targets);
    const what = loaded.targets.type === 'classes' ? `${outputs} classes` : `regression on ${loaded.targets.columns.join(', ')}`;
    return {
      data, inputShape: loaded.sampleShape, outputs, task: loaded.targets.type === 'classes' ? 'classification' : 'regression',
      ...(data.kind === 'text' && { vocabSize: data.vocabSize }),
      summary: `${what} (${sampleNoun(loaded.kind, loaded.train.count + loaded.validation.count + loaded.test.count)}, input ${loaded.sampleShape.join('×')})`,
      skipped: loaded.skipped.length,
    };
  } finally {
    closeDataset(loaded);
  }
}

export async function newCommand(args: { template: string; data: string; out: string; force: boolean; flags: DataFlags }, io: CliIo): Promise<number> {
  const template = TEMPLATES.find((t) => t.id === args.template);
  if (!template) throw new UsageError(`unknown template "${args.template}"; choose one of ${TEMPLATES.map((t) => t.id).join(', ')}`);
  const out = path.resolve(args.out);
  if (fs.existsSync(out) && !args.force) {
    throw new UsageError(`${out} already exists; pass --force to overwrite it or choose another --out`);
  }
  const sized = await sizeFor(dataConfigFromFlags(args.data, args.flags));
  const model = template.build({ inputShape: sized.inputShape, classes: sized.outputs, task: sized.task, vocabSize: sized.vocabSize });
  const project = ProjectSchema.parse({
    schemaVersion: 1, kind: 'strata-project', name: path.basename(out).replace(/\.strata\.json$|\.json$/, ''),
    model, data: sized.data, training: TrainingConfigSchema.parse({}),
  });
  writeProjectFile(out, project);
  io.out(`created ${out}: ${template.title}, ${sized.summary}` +
    (sized.skipped ? `; ${sized.skipped} file(s) or row(s) will be skipped (see strata inspect-data)` : ''));
  return 0;
}
