import fs from 'node:fs';
import path from 'node:path';
import { ProjectSchema, TrainingConfigSchema } from '../../../src-shared/contract/project.ts';
import { analyzeGraph } from '../../../src-shared/graph/analyze-graph.ts';
import { importModelFile } from '../../projects/import-model-file.ts';
import { writeProjectFile } from '../../projects/project-file.ts';
import { UsageError, type CliIo } from '../cli-io.ts';

export const IMPORT_HELP = `strata import <model.json | keras-config.json> --out <project.strata.json> [--force]
  Makes a project whose graph is an existing model: a tfjs layers model.json, or a Keras
  model config as model.to_json() writes it (Keras 2, tf.keras or Keras 3; Sequential or
  functional). Layers Strata has no equivalent for are named in the error.`;

export function importCommand(args: { file: string; out: string; force: boolean }, io: CliIo): number {
  const file = path.resolve(args.file);
  const out = path.resolve(args.out);
  if (fs.existsSync(out) && !args.force) throw new UsageError(`${out} already exists; pass --force to overwrite it or choose another --out`);
  const model = importModelFile(file);
  const project = ProjectSchema.parse({
    schemaVersion: 1, kind: 'strata-project', name: path.basename(out).replace(/\.strata\.json$|\.json$/, ''),
    model, data: null, training: TrainingConfigSchema.parse({}),
  });
  writeProjectFile(out, project);
  const analysis = analyzeGraph(model);
  const params = analysis.totals.trainable + analysis.totals.nonTrainable;
  const problems = analysis.issues.filter((i) => i.severity === 'error').length;
  io.out(`created ${out}: ${model.config.layers.length} layers, ${params.toLocaleString('en-US')} parameters` +
    (problems ? `; ${problems} problem(s) to fix, see strata inspect` : '') +
    '. Choose a dataset in the window (or edit "data") before training.');
  return 0;
}
