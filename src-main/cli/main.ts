import { parseArgs } from 'node:util';
import { EngineBackendError } from '../engine/backend/load-engine-backend.ts';
import { processIo, UsageError, type CliIo } from './cli-io.ts';
import { DOCTOR_HELP, doctorCommand } from './commands/doctor-command.ts';

const HELP = `strata — build, train and explain neural networks

usage: strata <command> [options]

commands:
${DOCTOR_HELP.split('\n').map((l) => `  ${l}`).join('\n')}

Run \`strata <command> --help\` for a command's options.`;

/** Runs one CLI invocation and returns its exit code; never lets a stack trace reach the user. */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'doctor': {
        const { values } = parseArgs({ args: [...rest], options: { json: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } }, strict: true });
        if (values.help) { io.out(DOCTOR_HELP); return 0; }
        return await doctorCommand({ json: values.json }, io);
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(HELP);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (err) {
    if (err instanceof UsageError || (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'))) {
      io.err(`strata: ${err.message}\n\n${HELP}`);
      return 2;
    }
    if (err instanceof EngineBackendError) {
      io.err(`strata: the compute engine cannot start:\n${err.problems.map((p) => `  ${p.code}: ${p.message}\n    fix: ${p.fix}`).join('\n')}`);
      return 1;
    }
    io.err(`strata: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}
