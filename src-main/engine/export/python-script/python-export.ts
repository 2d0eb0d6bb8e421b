import fs from 'node:fs';
import path from 'node:path';
import type { ExportResult } from '../../../../src-shared/contract/export.ts';
import { writeFileAtomic } from '../../../projects/atomic-write.ts';
import { StrataError } from '../../../strata-error.ts';
import { loadRunModel } from '../../run-model.ts';
import { recordExport } from '../export-record.ts';
import { planKerasModel } from '../keras/keras-config.ts';
import { ARCHITECTURE_FILE, TRAINED_MODEL_FILE, writeArchitecture } from './python-architecture.ts';
import { buildPythonManifest, type PythonManifest } from './python-manifest.ts';
import { pythonReadme } from './python-readme.ts';
import { resourcePath } from '../../../app-root.ts';

/** The script's sources: strata_train.py becomes train.py, its helper modules keep their names. */
export const PYTHON_RESOURCES = resourcePath('python');
const SCRIPT_TEMPLATE = 'strata_train.py';

/**
 * The `python` export: a folder with train.py (Keras/TensorFlow, nothing else), the data
 * preparation it needs, manifest.json (data, preprocessing, split, training settings), the
 * graph as a Keras 3 config, and a README. Run in the folder, `python train.py` trains the
 * same graph on the same data folder as the run did; with `distributed`, under TF_CONFIG it
 * trains on a cluster with MultiWorkerMirroredStrategy. No parity check: it trains anew.
 */
export async function exportPythonScript(runDir: string, outDir: string, options: { distributed: boolean }): Promise<ExportResult> {
  const run = await loadRunModel(runDir);
  const dir = path.resolve(outDir);
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) {
    throw new StrataError('NOT_A_FOLDER', `${dir} is a file; choose a folder to export the Python script into.`);
  }
  // Everything that can refuse the run does so before a file is written.
  const manifest = buildPythonManifest(run.record, { architecture: ARCHITECTURE_FILE, weights: TRAINED_MODEL_FILE }, options.distributed);
  planKerasModel(run.record.spec); // a layer with no Keras form: KERAS_UNSUPPORTED, naming it
  fs.mkdirSync(dir, { recursive: true });
  const architecture = await writeArchitecture(run, dir);

  const files = [...architecture.files];
  for (const source of fs.readdirSync(PYTHON_RESOURCES).filter((f) => /^strata_\w+\.py$/.test(f)).sort()) {
    const target = source === SCRIPT_TEMPLATE ? 'train.py' : source;
    writeFileAtomic(path.join(dir, target), fs.readFileSync(path.join(PYTHON_RESOURCES, source), 'utf8'));
    if (target === 'train.py') fs.chmodSync(path.join(dir, target), 0o755);
    files.push(target);
  }
  if (!files.includes('train.py')) throw new StrataError('EXPORT_BROKEN', `${path.join(PYTHON_RESOURCES, SCRIPT_TEMPLATE)} is missing; reinstall Strata.`);
  writeFileAtomic(path.join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileAtomic(path.join(dir, 'README.md'), pythonReadme(manifest));
  files.push('manifest.json', 'README.md');

  const notes = [
    `Run it with \`python train.py\` in ${dir} (TensorFlow 2.16+ with Keras 3 and numpy; nothing else). Options: --epochs, --batch-size, --data (another folder), --out, --from-trained. It prints each epoch and ends with a line \`STRATA_RESULT {json}\`.`,
    `It reads the data from ${manifest.data.path} and prepares it as Strata did (same split, ${preparationWords(manifest)}).`,
    ...architecture.notes,
  ];
  if (options.distributed) {
    notes.push('Distributed: on each machine set TF_CONFIG (the cluster\'s workers and this machine\'s index; README.md shows it) and run the same command; --batch-size is the global batch, split across the workers.');
  }
  const result: ExportResult = { format: 'python', path: dir, files: [...new Set(files)].sort(), parity: null, notes };
  recordExport(run.runDir, result);
  return result;
}

function preparationWords(manifest: PythonManifest): string {
  switch (manifest.preprocessing.kind) {
    case 'image': return `images stretched to ${manifest.preprocessing.imageSize.join('×')}, ${manifest.preprocessing.channels === 1 ? 'grey' : 'RGB'}, 0–1`;
    case 'table': return 'numbers standardised and categories one-hot with the run\'s statistics';
    case 'text': return `the run's vocabulary of ${manifest.preprocessing.vocabulary.length} words, ${manifest.preprocessing.sequenceLength} tokens per text`;
    case 'timeseries': return `windows of ${manifest.preprocessing.window} rows, horizon ${manifest.preprocessing.horizon}, the run's statistics`;
  }
}
