import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { commands } from '../../src-shared/contract/commands.ts';
import { streams } from '../../src-shared/contract/streams.ts';
import { TEMPLATES } from '../../src-shared/spec/templates.ts';
import { readBlockLibrary, saveToBlockLibrary } from '../projects/block-library.ts';
import { importModelToFolder, importWeightsDir } from '../projects/store-imported-weights.ts';
import { datasetHealth } from '../data/dataset-health.ts';
import { updateRun } from '../engine/train/run-list.ts';
import { datasetShape, scanDataset } from '../data/dataset-scan.ts';
import { augmentPreview } from '../data/image-folder/augment-preview.ts';
import { StrataError } from '../strata-error.ts';
import type { EngineHost } from './engine-client.ts';
import { GanHub } from './gan-hub.ts';
import { registerProjectCommands, type ProjectDialogs } from './project-commands.ts';
import { Router } from './router.ts';
import { RunHub } from './run-hub.ts';
import { SweepHub } from './sweep-hub.ts';

export interface StudioOptions extends ProjectDialogs {
  engine: EngineHost;
  /** Where runs go when the window does not say. */
  runsDir: string;
  /** Electron replaces this with a native folder dialog. */
  openFolderDialog?: (title?: string) => Promise<string | null>;
  /** Where the path chooser opens when the window names no folder (default: the home folder). */
  startFolder?: string;
}

function listFolder(dir: string | undefined) {
  const abs = path.resolve(dir ?? os.homedir());
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(abs, { withFileTypes: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new StrataError(code === 'ENOENT' ? 'NOT_FOUND' : code === 'ENOTDIR' ? 'NOT_A_FOLDER' : 'UNREADABLE',
      `Cannot list ${abs}: ${code === 'ENOENT' ? 'it does not exist' : code === 'ENOTDIR' ? 'it is a file, not a folder' : (err as Error).message}.`);
  }
  const visible = entries.filter((e) => !e.name.startsWith('.'));
  return {
    path: abs,
    parent: path.dirname(abs) === abs ? null : path.dirname(abs),
    entries: visible
      .map((e) => ({ name: e.name, kind: e.isDirectory() ? 'dir' as const : 'file' as const }))
      .sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'dir' ? -1 : 1)),
  };
}

/** The public contract's router: what the window (either host) can ask of Strata. */
export function createStudioRouter(opts: StudioOptions) {
  const runs = new RunHub(opts.engine, opts.runsDir);
  const sweeps = new SweepHub(runs, opts.runsDir);
  const gans = new GanHub(opts.engine, opts.runsDir);
  const engine = () => opts.engine.client();
  // export.run takes any run id: a classifier run's folder, or else a GAN run's (which exports its generator).
  const anyRunDir = (runId: string): string => {
    try {
      return runs.runDir(runId);
    } catch (err) {
      if (!(err instanceof StrataError && err.code === 'NO_SUCH_RUN')) throw err;
      try {
        return gans.runDir(runId);
      } catch {
        throw err;
      }
    }
  };
  const router = new Router(commands, streams)
    .command('engine.doctor', () => engine().invoke('engine.doctor', {}))
    .command('templates.list', async () => TEMPLATES.map(({ id, title, description }) => ({ id, title, description })))
    .command('templates.get', async ({ id, inputShape, classes, task, vocabSize }) => {
      const template = TEMPLATES.find((t) => t.id === id);
      if (!template) throw new StrataError('NO_SUCH_TEMPLATE', `There is no template "${id}"; choose one of ${TEMPLATES.map((t) => t.id).join(', ')}.`);
      return template.build({ ...(inputShape ? { inputShape } : {}), ...(classes ? { classes } : {}), ...(task ? { task } : {}), ...(vocabSize ? { vocabSize } : {}) });
    })
    .command('fs.list', async ({ path: dir }) => listFolder(dir ?? opts.startFolder))
    .command('model.import', async ({ path: file }) => importModelToFolder(file, importWeightsDir(opts.runsDir, file)))
    .command('library.blocks', async () => readBlockLibrary())
    .command('library.saveBlock', async ({ name, block }) => ({ path: saveToBlockLibrary(name, block) }))
    .command('dialog.openFolder', async ({ title }) => {
      if (!opts.openFolderDialog) throw new StrataError('NOT_AVAILABLE', 'No native dialog in the web host; use the folder chooser.');
      return { path: await opts.openFolderDialog(title) };
    })
    .command('dataset.scan', (args) => scanDataset(args))
    .command('dataset.health', ({ data, purpose }) => datasetHealth(data, purpose))
    .command('dataset.shape', ({ data }) => datasetShape(data))
    .command('dataset.augmentPreview', ({ data, images, variants }) => augmentPreview(data, images, variants))
    .command('train.start', async (args) => runs.start(args))
    .command('train.stop', async ({ runId }) => ({ stopping: await runs.stop(runId) }))
    .command('train.pause', async ({ runId, paused }) => ({ paused: await runs.pause(runId, paused) }))
    .command('train.resume', async ({ runId }) => runs.resume(runId))
    .command('runs.list', async ({ runsDir }) => runs.list(runsDir))
    .command('runs.details', async ({ runIds }) => runs.details(runIds))
    .command('runs.update', async ({ runId, name, note }) => updateRun(runs.runDir(runId), { name, note }))
    .command('runs.delete', async ({ runId }) => runs.delete(runId))
    .command('sweep.start', async (args) => sweeps.start(args))
    .command('sweep.status', async ({ sweepId }) => sweeps.status(sweepId))
    .command('sweep.stop', async ({ sweepId }) => ({ stopping: await sweeps.stop(sweepId) }))
    .command('run.samples', ({ runId, count }) => engine().invoke('run.samples', { runDir: runs.runDir(runId), count }))
    .command('explain.run', ({ runId, input, methods, options }) => engine().invoke('run.explain', { runDir: runs.runDir(runId), input, methods, options }))
    .command('explain.sanity', ({ runId, input, method, options }) => engine().invoke('run.explainSanity', { runDir: runs.runDir(runId), input, method, options }))
    .command('explain.features', ({ runId, input }) => engine().invoke('run.explainFeatures', { runDir: runs.runDir(runId), input }))
    .command('evaluate.run', ({ runId, source }) => engine().invoke('run.evaluate', { runDir: runs.runDir(runId), source }))
    .command('evaluate.examples', ({ runId, source, actual, predicted, limit }) => engine().invoke('run.evaluationExamples', { runDir: runs.runDir(runId), source, actual, predicted, limit }))
    .command('export.run', ({ runId, format, out, distributed }) => engine().invoke('run.export', { runDir: anyRunDir(runId), format, out, distributed }))
    .command('gan.start', async (args) => gans.start(args))
    .command('gan.stop', async ({ runId }) => ({ stopping: await gans.stop(runId) }))
    .command('gan.runs', async ({ runsDir }) => gans.list(runsDir))
    .command('gan.generate', ({ runId, count, out, seed }) => gans.generate(runId, { count, out, seed }))
    .stream('train.events', ({ runId }, emit, signal) => runs.follow(runId, emit, signal))
    .stream('gan.events', ({ runId }, emit, signal) => gans.follow(runId, emit, signal));
  registerProjectCommands(router, opts);
  return router;
}
