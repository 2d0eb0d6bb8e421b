import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_VERSION, ProjectSchema, TrainingConfigSchema } from '../../../src-shared/contract/project.ts';
import { analyzeGraph } from '../../../src-shared/graph/analyze-graph.ts';
import { writeProjectFile } from '../../projects/project-file.ts';
import { importModelToFolder } from '../../projects/store-imported-weights.ts';
import { UsageError, type CliIo } from '../cli-io.ts';

export const IMPORT_HELP = `strata import <model.json | model.keras | model.h5 | keras-config.json> --out <project.strata.json> [--force]
  Makes a project whose graph is an existing model: a tfjs layers model.json (with its
  weight files beside it), a Keras 3 .keras file, a Keras .h5 file, or a model config as
  Keras' model.to_json() writes it (no weights). Weights go to <project>.weights/ beside
  the project, and training starts from them (layers whose shape you change start fresh).
  Nothing in the file is executed; Lambda/custom layers, unknown layers, weight files
  outside the model's folder and sizes that disagree are refused, naming the problem.`;

/** `<dir>/digits.strata.json` → `<dir>/digits.weights`. */
export function projectWeightsDir(projectFile: string): string {
  return projectFile.replace(/(\.strata)?\.json$/i, '') + '.weights';
}

export async function importCommand(args: { file: string; out: string; force: boolean }, io: CliIo): Promise<number> {
  const file = path.resolve(args.file);
  const out = path.resolve(args.out);
  if (fs.existsSync(out) && !args.force) throw new UsageError(`${out} already exists; pass --force to overwrite it or choose another --out`);
  const weightsDir = projectWeightsDir(out);
  // The weights folder is replaced wholesale; never a folder the user did not ask to lose.
  if (fs.existsSync(weightsDir) && !args.force) throw new UsageError(`${weightsDir} already exists (the weights of another import?); pass --force to replace it or choose another --out`);
  const imported = await importModelToFolder(file, weightsDir);
  const model = imported.spec;
  const project = ProjectSchema.parse({
    schemaVersion: PROJECT_VERSION, kind: 'strata-project', name: path.basename(out).replace(/\.strata\.json$|\.json$/, ''),
    model, data: null, training: TrainingConfigSchema.parse({}), weights: imported.weights,
  });
  writeProjectFile(out, project);
  const analysis = analyzeGraph(model);
  const params = analysis.totals.trainable + analysis.totals.nonTrainable;
  const problems = analysis.issues.filter((i) => i.severity === 'error').length;
  io.out(`created ${out}: ${model.config.layers.length} layers, ${params.toLocaleString('en-US')} parameters` +
    (imported.weights ? `, with the imported weights (${path.relative(path.dirname(out), imported.weights)})` : ', random weights (the file has none)') +
    (problems ? `; ${problems} problem(s) to fix, see strata inspect` : '') +
    '. Choose a dataset in the window (or edit "data") before training.');
  for (const note of imported.notes) io.out(`  ${note}`);
  return 0;
}
