import { runCli } from './main.ts';

/** Runs one CLI invocation in-process with its output captured: how the CLI tests call `strata`. */
export async function captureCli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}
