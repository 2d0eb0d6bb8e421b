import fs from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { EngineBackendError } from '../engine/backend/load-engine-backend.ts';
import { processIo, UsageError, type CliIo } from './cli-io.ts';
import { DOCTOR_HELP, doctorCommand } from './commands/doctor-command.ts';
import { EVALUATE_HELP, evaluateCommand } from './commands/evaluate-command.ts';
import { IMPORT_HELP, importCommand } from './commands/import-command.ts';
import { DATA_FLAG_OPTIONS, type DataFlags } from './commands/data-flags.ts';
import { INSPECT_DATA_HELP, inspectDataCommand } from './commands/inspect-data-command.ts';
import { INSPECT_HELP, inspectCommand, LAYERS_HELP, layersCommand } from './commands/model-commands.ts';
import { NEW_HELP, newCommand } from './commands/new-command.ts';
import { EXPORT_HELP, exportCommand, PREDICT_HELP, predictCommand } from './commands/run-commands.ts';
import { EXPLAIN_HELP, explainFromArgs } from './commands/explain-command.ts';
import { GAN_TRAIN_HELP, ganTrainCommand } from './commands/gan-train-command.ts';
import { GENERATE_HELP, generateCommand } from './commands/generate-command.ts';
import { DEFAULT_RUNS_DIR, SERVE_HELP, serveCommand } from './commands/serve-command.ts';
import { RUNS_HELP, runsCommand } from './commands/runs-command.ts';
import { SWEEP_HELP, sweepCommand } from './commands/sweep-command.ts';
import { resumeCommand, TRAIN_HELP, trainCommand } from './commands/train-command.ts';

const HELPS: Record<string, string> = {
  new: NEW_HELP, import: IMPORT_HELP, layers: LAYERS_HELP, inspect: INSPECT_HELP, 'inspect-data': INSPECT_DATA_HELP, train: TRAIN_HELP, runs: RUNS_HELP, sweep: SWEEP_HELP, predict: PREDICT_HELP, explain: EXPLAIN_HELP, export: EXPORT_HELP, serve: SERVE_HELP, doctor: DOCTOR_HELP,
  evaluate: EVALUATE_HELP, 'gan-train': GAN_TRAIN_HELP, generate: GENERATE_HELP,
};

const HELP = `strata — build, train and explain neural networks

usage: strata <command> [options]

${Object.values(HELPS).map((h) => h.split('\n').map((l) => `  ${l}`).join('\n')).join('\n\n')}`;

type Options = NonNullable<ParseArgsConfig['options']>;

function parse<O extends Options>(args: string[], options: O, allowPositionals = false) {
  return parseArgs({ args, options: { ...options, help: { type: 'boolean' as const, default: false } }, allowPositionals, strict: true as const });
}

function int(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a whole number ≥ 1, not "${value}"`);
  return n;
}

function required(value: string | undefined, flag: string): string {
  if (!value) throw new UsageError(`${flag} is required`);
  return value;
}

async function dispatch(command: string, rest: string[], io: CliIo): Promise<number> {
  switch (command) {
    case 'doctor': {
      const { values } = parse(rest, { json: { type: 'boolean', default: false } });
      return values.help ? (io.out(DOCTOR_HELP), 0) : doctorCommand({ json: Boolean(values.json) }, io);
    }
    case 'new': {
      const { values } = parse(rest, { template: { type: 'string' }, data: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean', default: false }, ...DATA_FLAG_OPTIONS });
      if (values.help) return io.out(NEW_HELP), 0;
      return newCommand({
        template: required(values.template as string | undefined, '--template'), data: required(values.data as string | undefined, '--data'),
        out: required(values.out as string | undefined, '--out'), force: Boolean(values.force), flags: values as DataFlags,
      }, io);
    }
    case 'import': {
      const { values, positionals } = parse(rest, { out: { type: 'string' }, force: { type: 'boolean', default: false } }, true);
      if (values.help) return io.out(IMPORT_HELP), 0;
      return importCommand({ file: required(positionals[0], 'the model file'), out: required(values.out as string | undefined, '--out'), force: Boolean(values.force) }, io);
    }
    case 'layers': {
      const { values } = parse(rest, { json: { type: 'boolean', default: false } });
      return values.help ? (io.out(LAYERS_HELP), 0) : layersCommand({ json: Boolean(values.json) }, io);
    }
    case 'inspect': {
      const { values, positionals } = parse(rest, { json: { type: 'boolean', default: false } }, true);
      if (values.help) return io.out(INSPECT_HELP), 0;
      return inspectCommand({ project: required(positionals[0], 'the project file'), json: Boolean(values.json) }, io);
    }
    case 'inspect-data': {
      const { values, positionals } = parse(rest, { json: { type: 'boolean', default: false }, ...DATA_FLAG_OPTIONS }, true);
      if (values.help) return io.out(INSPECT_DATA_HELP), 0;
      return inspectDataCommand({ path: required(positionals[0], 'the dataset folder or CSV file'), json: Boolean(values.json), flags: values as DataFlags }, io);
    }
    case 'train': {
      const { values, positionals } = parse(rest, {
        epochs: { type: 'string' }, 'batch-size': { type: 'string' }, 'learning-rate': { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean', default: false },
        resume: { type: 'string' },
      }, true);
      if (values.help) return io.out(TRAIN_HELP), 0;
      const lr = values['learning-rate'] === undefined ? undefined : Number(values['learning-rate']);
      if (lr !== undefined && !(lr > 0)) throw new UsageError(`--learning-rate must be a positive number, not "${values['learning-rate']}"`);
      if (values.resume !== undefined) {
        if (positionals.length > 0) throw new UsageError('--resume continues a run with its own project, data and settings; pass no project file');
        return resumeCommand({ runDir: String(values.resume), json: Boolean(values.json) }, io);
      }
      return trainCommand({
        project: required(positionals[0], 'the project file'), epochs: int(values.epochs as string | undefined, '--epochs'),
        batchSize: int(values['batch-size'] as string | undefined, '--batch-size'), learningRate: lr,
        out: values.out as string | undefined, json: Boolean(values.json),
      }, io);
    }
    case 'gan-train': {
      const { values, positionals } = parse(rest, {
        template: { type: 'string' }, data: { type: 'string' }, epochs: { type: 'string' }, 'batch-size': { type: 'string' },
        'samples-per-epoch': { type: 'string' }, seed: { type: 'string' }, 'generator-average': { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean', default: false },
      }, true);
      if (values.help) return io.out(GAN_TRAIN_HELP), 0;
      const average = values['generator-average'] as string | undefined;
      if (average !== undefined && !(Number(average) >= 0 && Number(average) <= 0.9999)) {
        throw new UsageError(`--generator-average must be a decay from 0 (off) to 0.9999, such as 0.999, not "${average}"`);
      }
      return ganTrainCommand({
        project: positionals[0], template: values.template as string | undefined, data: values.data as string | undefined,
        epochs: int(values.epochs as string | undefined, '--epochs'), batchSize: int(values['batch-size'] as string | undefined, '--batch-size'),
        samplesPerEpoch: int(values['samples-per-epoch'] as string | undefined, '--samples-per-epoch'), seed: int(values.seed as string | undefined, '--seed'),
        generatorAverage: average === undefined ? undefined : Number(average), out: values.out as string | undefined, json: Boolean(values.json),
      }, io);
    }
    case 'generate': {
      const { values, positionals } = parse(rest, { count: { type: 'string' }, out: { type: 'string' }, seed: { type: 'string' }, json: { type: 'boolean', default: false } }, true);
      if (values.help) return io.out(GENERATE_HELP), 0;
      return generateCommand({
        runDir: required(positionals[0], 'the GAN run folder'), count: int(required(values.count as string | undefined, '--count'), '--count')!,
        out: required(values.out as string | undefined, '--out'), seed: int(values.seed as string | undefined, '--seed') ?? 1, json: Boolean(values.json),
      }, io);
    }
    case 'sweep': {
      const { values, positionals } = parse(rest, {
        grid: { type: 'string' }, random: { type: 'string' }, trials: { type: 'string' }, seed: { type: 'string' }, metric: { type: 'string' },
        epochs: { type: 'string' }, json: { type: 'boolean', default: false },
      }, true);
      if (values.help) return io.out(SWEEP_HELP), 0;
      const seed = values.seed === undefined ? undefined : Number(values.seed);
      if (seed !== undefined && !Number.isInteger(seed)) throw new UsageError(`--seed must be a whole number, not "${values.seed}"`);
      return sweepCommand({
        project: required(positionals[0], 'the project file'), grid: values.grid as string | undefined, random: values.random as string | undefined,
        trials: int(values.trials as string | undefined, '--trials'), seed, metric: values.metric as string | undefined,
        epochs: int(values.epochs as string | undefined, '--epochs'), json: Boolean(values.json),
      }, io);
    }
    case 'runs': {
      const { values, positionals } = parse(rest, { json: { type: 'boolean', default: false } }, true);
      if (values.help) return io.out(RUNS_HELP), 0;
      return runsCommand({ target: required(positionals[0], 'the project file or runs folder'), json: Boolean(values.json) }, io);
    }
    case 'predict': {
      const { values, positionals } = parse(rest, { json: { type: 'boolean', default: false } }, true);
      if (values.help) return io.out(PREDICT_HELP), 0;
      return predictCommand({ runDir: required(positionals[0], 'the run folder'), images: positionals.slice(1), json: Boolean(values.json) }, io);
    }
    case 'explain':
      return explainFromArgs(rest, io);
    case 'evaluate': {
      const { values, positionals } = parse(rest, { split: { type: 'string' }, data: { type: 'string' }, json: { type: 'boolean', default: false } }, true);
      if (values.help) return io.out(EVALUATE_HELP), 0;
      return evaluateCommand({
        runDir: required(positionals[0], 'the run folder'), split: values.split as string | undefined, data: values.data as string | undefined, json: Boolean(values.json),
      }, io);
    }
    case 'export': {
      const { values, positionals } = parse(rest, { format: { type: 'string', default: 'tfjs' }, out: { type: 'string' }, distributed: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } }, true);
      if (values.help) return io.out(EXPORT_HELP), 0;
      return exportCommand({
        runDir: required(positionals[0], 'the run folder'), format: String(values.format), out: required(values.out as string | undefined, '--out'),
        distributed: Boolean(values.distributed), json: Boolean(values.json),
      }, io);
    }
    case 'serve': {
      const { values } = parse(rest, {
        port: { type: 'string' }, host: { type: 'string', default: '127.0.0.1' }, runs: { type: 'string', default: DEFAULT_RUNS_DIR }, root: { type: 'string', multiple: true },
      });
      if (values.help) return io.out(SERVE_HELP), 0;
      const port = values.port === undefined ? 0 : Number(values.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0–65535, not "${values.port}"`);
      const roots = values.root ?? [];
      const missing = roots.find((r) => !fs.existsSync(r) || !fs.statSync(r).isDirectory());
      if (missing !== undefined) throw new UsageError(`--root ${missing} is not a folder; give a folder the browser may use`);
      return serveCommand({ port, host: String(values.host), runs: String(values.runs), roots }, io);
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

/** Runs one CLI invocation and returns its exit code; never lets a stack trace reach the user. */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    io.out(HELP);
    return command === undefined ? 2 : 0;
  }
  try {
    return await dispatch(command, rest, io);
  } catch (err) {
    const parseError = err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS');
    if (err instanceof UsageError || parseError) {
      io.err(`strata ${command}: ${(err as Error).message}\n\n${HELPS[command] ?? HELP}`);
      return 2;
    }
    if (err instanceof EngineBackendError) {
      io.err(`strata: the compute engine cannot start:\n${err.problems.map((p) => `  ${p.code}: ${p.message}\n    fix: ${p.fix}`).join('\n')}`);
      return 1;
    }
    const code = err && typeof err === 'object' && 'code' in err ? ` [${String(err.code)}]` : '';
    io.err(`strata ${command}: ${err instanceof Error ? err.message : String(err)}${code}`);
    return 1;
  }
}
