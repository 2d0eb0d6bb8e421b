import os from 'node:os';
import path from 'node:path';
import { EngineHost } from '../../host/engine-client.ts';
import { createWebStudioRouter, PathPolicy } from '../../host/path-policy.ts';
import { ensureRendererBuilt, RENDERER_DIR } from '../../host/renderer-build.ts';
import { isLoopback, startWebHost } from '../../host/web-host.ts';
import type { CliIo } from '../cli-io.ts';
import { importsDirOf } from '../../projects/store-imported-weights.ts';

export const SERVE_HELP = `strata serve [--port P] [--host H] [--runs <dir>] [--root <dir>]...
  Serves the studio to a browser. Binds 127.0.0.1 unless --host says otherwise, and prints
  the URL with this launch's access token. Runs go to --runs (default ~/Strata/runs).
  The browser may use files only inside the --root folders (repeatable; default: the
  current folder) and the runs folder; any other path is refused (FORBIDDEN_PATH).`;

export const DEFAULT_RUNS_DIR = path.join(os.homedir(), 'Strata', 'runs');

export interface ServeArgs {
  port: number;
  host: string;
  runs: string;
  /** Folders the browser may read and write in (the runs folder is always added). */
  roots: readonly string[];
}

/** What `strata serve` prints on stderr when it listens beyond this machine. */
export function exposureWarning(host: string, roots: readonly string[]): string {
  return [
    `warning: strata serve is listening on ${host}, not on this machine's loopback address.`,
    '  Anyone who can reach that address and has the URL (the token is in it) can use the',
    '  studio as you: train, export, and read and write files in these folders:',
    ...roots.map((r) => `    ${r}`),
    '  The connection is plain HTTP, so the token can be seen on the network.',
    '  Prefer the default (127.0.0.1) with an SSH tunnel from your own machine:',
    '    ssh -L 8080:127.0.0.1:8080 <this host>   then   strata serve --port 8080',
  ].join('\n');
}

/** Starts the web host and resolves when it is told to stop (Ctrl-C / SIGTERM). */
export async function serveCommand(args: ServeArgs, io: CliIo, stopSignal?: AbortSignal): Promise<number> {
  ensureRendererBuilt((line) => io.err(line));
  const runsDir = path.resolve(args.runs);
  const roots = args.roots.length > 0 ? args.roots.map((r) => path.resolve(r)) : [process.cwd()];
  // The host's own folders: runs, and the weights it keeps for imported models (training reads them).
  const policy = new PathPolicy([...roots, runsDir, importsDirOf(runsDir)]);
  const engine = new EngineHost();
  const router = createWebStudioRouter({ engine, runsDir }, policy);
  const host = await startWebHost({ router, rendererDir: RENDERER_DIR, port: args.port, host: args.host });
  if (!isLoopback(args.host)) io.err(exposureWarning(args.host, policy.roots));
  io.out(`Strata studio: ${host.url}`);
  io.out(`  files: only inside ${policy.roots.join(', ')} (add folders with --root)`);
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    stopSignal?.addEventListener('abort', stop);
  });
  await host.close();
  engine.dispose();
  return 0;
}
