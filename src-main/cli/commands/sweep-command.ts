import path from 'node:path';
import { SweepSpecSchema, type SweepSpec } from '../../../src-shared/contract/sweep.ts';
import { rankSweep, runSweep } from '../../engine/train/run-sweep.ts';
import { readProjectFile, resolveProjectPath } from '../../projects/project-file.ts';
import { UsageError, type CliIo } from '../cli-io.ts';

export const SWEEP_HELP = `strata sweep <project.strata.json> --grid '<json>' [--metric val_loss|val_acc|loss] [--epochs N] [--json]
strata sweep <project.strata.json> --random '<json>' --trials N [--seed S] [...]
  Trains the project once per combination of settings, one run after another, and ranks
  them. The JSON maps a setting to its values: training settings (learningRate, batchSize,
  epochs, optimizer) or a layer's parameter as <layer>.<parameter>, e.g.
    --grid '{"learningRate":[0.001,0.01],"dense_1.units":[64,128]}'
  Each trial is a normal run in the project's runs/ folder (strata runs lists them); the
  table is kept in runs/<sweep-id>/sweep.json, updated after every trial.`;

const fmt = (v: number | null | undefined, digits: number) => (v === null || v === undefined ? '–' : v.toFixed(digits));

export async function sweepCommand(
  args: { project: string; grid?: string; random?: string; trials?: number; seed?: number; metric?: string; epochs?: number; json: boolean }, io: CliIo,
): Promise<number> {
  if ((args.grid === undefined) === (args.random === undefined)) throw new UsageError('pass exactly one of --grid and --random');
  const raw = args.grid ?? args.random!;
  let params: unknown;
  try {
    params = JSON.parse(raw);
  } catch (err) {
    throw new UsageError(`--${args.grid !== undefined ? 'grid' : 'random'} is not JSON (${err instanceof Error ? err.message : String(err)}): ${raw}`);
  }
  const parsed = SweepSpecSchema.safeParse({
    mode: args.grid !== undefined ? 'grid' : 'random', params, trials: args.trials, seed: args.seed, metric: args.metric,
  });
  if (!parsed.success) throw new UsageError(`the sweep is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'sweep'}: ${i.message}`).join('; ')}`);
  const sweep: SweepSpec = parsed.data;
  // A project folder's file is project.strata.json inside it; its runs go beside that file.
  const projectFile = resolveProjectPath(args.project);
  const project = readProjectFile(projectFile);
  if (!project.data) throw new UsageError(`${projectFile} has no dataset; set one first`);
  const training = { ...project.training, ...(args.epochs !== undefined ? { epochs: args.epochs } : {}) };

  const controller = new AbortController();
  const onSigint = (): void => { io.err('\nstopping the sweep after this batch…'); controller.abort(); };
  process.on('SIGINT', onSigint);
  try {
    const result = await runSweep({ spec: project.model, data: project.data, training, sweep, runsDir: path.join(path.dirname(projectFile), 'runs') }, (trial, e) => {
      if (args.json) io.out(JSON.stringify({ trial, ...e }));
      else if (e.type === 'started') io.err(`trial ${trial}: ${e.runDir}`);
      else if (e.type === 'end') io.err(`trial ${trial}: ${e.status}${e.reason ? ` (${e.reason})` : ''}`);
    }, controller.signal);
    const ranked = rankSweep(result.rows, sweep.metric);
    if (args.json) {
      io.out(JSON.stringify({ type: 'sweep', id: result.id, dir: result.dir, metric: sweep.metric, rows: ranked }));
    } else {
      io.out(`sweep ${result.id}: ${ranked.length} trial(s), ranked by ${sweep.metric} (table in ${path.join(result.dir, 'sweep.json')})`);
      const keys = Object.keys(sweep.params);
      io.out(`  ${'#'.padEnd(4)} ${keys.map((k) => k.padEnd(16)).join(' ')} ${'status'.padEnd(10)} ${'epoch'.padStart(5)} ${'val_loss'.padStart(9)} ${'val_acc'.padStart(8)}  run`);
      for (const r of ranked) {
        io.out(`  ${String(r.trial).padEnd(4)} ${keys.map((k) => String(r.params[k]).padEnd(16)).join(' ')} ${r.status.padEnd(10)} ${String(r.best?.epoch ?? '–').padStart(5)} ${fmt(r.best?.val_loss, 4).padStart(9)} ${fmt(r.best?.val_acc, 3).padStart(8)}  ${r.runId}`);
      }
    }
    return ranked.every((r) => r.status === 'completed') ? 0 : 1;
  } catch (err) {
    if (err instanceof Error && !(err instanceof UsageError) && !('code' in err)) throw new UsageError(err.message); // a bad key or value in the sweep
    throw err;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
