import { engineCommands, engineStreams } from '../../src-shared/contract/engine-protocol.ts';
import { Router } from '../host/router.ts';
import { runDoctor } from './doctor.ts';
import { explainRun, exportTfjs, predictFiles, runSamples } from './run-services.ts';
import { runTraining } from './train/train-run.ts';

/** The engine process's router: training, explanation and export on run folders. */
export function createEngineRouter() {
  const training = new Map<string, AbortController>();
  return new Router(engineCommands, engineStreams)
    .command('engine.doctor', () => runDoctor())
    .command('run.stop', async ({ runId }) => {
      const run = training.get(runId);
      run?.abort();
      return { stopping: run !== undefined };
    })
    .command('run.samples', ({ runDir, count }) => runSamples(runDir, count))
    .command('run.explain', ({ runDir, input, methods }) => explainRun(runDir, input, methods))
    .command('run.predict', ({ runDir, files }) => predictFiles(runDir, files))
    .command('run.export', ({ runDir, outDir }) => exportTfjs(runDir, outDir))
    .stream('run.train', async (args, emit, signal) => {
      const controller = new AbortController();
      // Unsubscribing (main gone) stops the run too; run.stop stops it and still reports.
      signal.addEventListener('abort', () => controller.abort());
      training.set(args.runId, controller);
      try {
        await runTraining(args, emit, controller.signal);
      } finally {
        training.delete(args.runId);
      }
    });
}
