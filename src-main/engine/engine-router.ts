import fs from 'node:fs';
import type { GanEvent } from '../../src-shared/contract/gan.ts';
import { engineCommands, engineStreams } from '../../src-shared/contract/engine-protocol.ts';
import { Router } from '../host/router.ts';
import { runDoctor } from './doctor.ts';
import { evaluateRun, evaluationExamples } from './evaluate/evaluate-run.ts';
import { checkExplanation, explainImage } from './explain/explain-image.ts';
import { runSamples } from './explain/run-samples.ts';
import { explainFeatures } from './explain/explain-features.ts';
import { exportRun } from './export/export-run.ts';
import { loadGanImagesOf } from './gan/gan-images.ts';
import { runGanTraining } from './gan/gan-run.ts';
import { appendGanEvent } from './gan/gan-run-store.ts';
import { generateToFolder } from './gan/generate-images.ts';
import { predictFiles } from './run-services.ts';
import { StrataError, toContractError } from '../strata-error.ts';
import { RunControl } from './train/run-control.ts';
import { runTraining } from './train/train-run.ts';

/** The engine process's router: training (classifier and GAN runs), explanation and export on run folders. */
export function createEngineRouter() {
  const training = new Map<string, { controller: AbortController; control: RunControl }>();
  // GAN runs share run.stop with the others: a run id names one run, whichever kind it is.
  const ganTraining = new Map<string, AbortController>();
  return new Router(engineCommands, engineStreams)
    .command('engine.doctor', () => runDoctor())
    .command('run.stop', async ({ runId }) => {
      const run = training.get(runId);
      run?.controller.abort();
      const gan = ganTraining.get(runId);
      gan?.abort();
      return { stopping: run !== undefined || gan !== undefined };
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
    .command('gan.generate', ({ runDir, count, out, seed }) => generateToFolder(runDir, { count, out, seed }))
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
    })
    .stream('gan.train', async ({ runId, runDir, gan, data, training: config }, emit, signal) => {
      const controller = new AbortController();
      signal.addEventListener('abort', () => controller.abort());
      ganTraining.set(runId, controller);
      try {
        // Loading can fail (no folder, no images, unreadable CSV): the run still ends
        // with one `end` event, as runGanTraining's own failures do, so main sees why.
        const loaded = await loadGanImagesOf(data).then((images) => ({ images }), (err: unknown) => ({ err }));
        if ('err' in loaded) {
          emit(failedBeforeStart(runDir, loaded.err));
          return;
        }
        await runGanTraining({ runId, runDir, gan, training: config, images: loaded.images }, emit, controller.signal);
      } finally {
        ganTraining.delete(runId);
      }
    });
}

/** The end of a GAN run whose images could not be loaded, logged like every other end. */
function failedBeforeStart(runDir: string, err: unknown): Extract<GanEvent, { type: 'end' }> {
  const reason = err instanceof Error ? err.message : String(err);
  const end = { type: 'end' as const, status: 'failed' as const, runDir, reason, error: toContractError(err) };
  fs.mkdirSync(runDir, { recursive: true });
  appendGanEvent(runDir, end);
  return end;
}
