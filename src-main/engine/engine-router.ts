import { engineCommands, engineStreams } from '../../src-shared/contract/engine-protocol.ts';
import { Router } from '../host/router.ts';
import { runDoctor } from './doctor.ts';
import { evaluateRun, evaluationExamples } from './evaluate/evaluate-run.ts';
import { checkExplanation, explainImage } from './explain/explain-image.ts';
import { runSamples } from './explain/run-samples.ts';
import { explainFeatures } from './explain/explain-features.ts';
import { exportRun } from './export/export-run.ts';
import { predictFiles } from './run-services.ts';
import { StrataError } from '../strata-error.ts';
import { RunControl } from './train/run-control.ts';
import { runTraining } from './train/train-run.ts';

/** The engine process's router: training, explanation and export on run folders. */
export function createEngineRouter() {
  const training = new Map<string, { controller: AbortController; control: RunControl }>();
  return new Router(engineCommands, engineStreams)
    .command('engine.doctor', () => runDoctor())
    .command('run.stop', async ({ runId }) => {
      const run = training.get(runId);
      run?.controller.abort();
      return { stopping: run !== undefined };
    })
    .command('run.pause', async ({ runId, paused }) => {
      const run = training.get(runId);
      if (!run) throw new StrataError('NO_SUCH_RUN', `No run "${runId}" is training in this engine.`);
      run.control.setPaused(paused);
      return { paused: run.control.isPaused };
    })
    .command('run.samples', ({ runDir, count }) => runSamples(runDir, count))
    .command('run.explain', ({ runDir, input, methods, options }) => explainImage(runDir, input, methods, options))
    .command('run.explainSanity', ({ runDir, input, method, options }) => checkExplanation(runDir, input, method, options))
    .command('run.explainFeatures', ({ runDir, input }) => explainFeatures(runDir, input))
    .command('run.evaluate', ({ runDir, source }) => evaluateRun(runDir, source))
    .command('run.evaluationExamples', ({ runDir, source, actual, predicted, limit }) => evaluationExamples(runDir, source, { actual, predicted, limit }))
    .command('run.predict', ({ runDir, files }) => predictFiles(runDir, files))
    .command('run.export', ({ runDir, format, out, distributed }) => exportRun(runDir, format, out, { distributed }))
    .stream('run.train', async (args, emit, signal) => {
      const controller = new AbortController();
      // Unsubscribing (main gone) stops the run too; run.stop stops it and still reports.
      signal.addEventListener('abort', () => controller.abort());
      const control = new RunControl(controller.signal);
      training.set(args.runId, { controller, control });
      try {
        await runTraining(args, emit, controller.signal, control);
      } finally {
        training.delete(args.runId);
      }
    });
}
