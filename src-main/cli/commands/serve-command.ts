import os from 'node:os';
import path from 'node:path';
import { EngineHost } from '../../host/engine-client.ts';
import { ensureRendererBuilt, RENDERER_DIR } from '../../host/renderer-build.ts';
import { createStudioRouter } from '../../host/studio-router.ts';
import { isLoopback, startWebHost } from '../../host/web-host.ts';
import type { CliIo } from '../cli-io.ts';

export const SERVE_HELP = `strata serve [--port P] [--host H] [--runs <dir>]
  Serves the studio to a browser. Binds 127.0.0.1 unless --host says otherwise, and prints
  the URL with this launch's access token. Runs go to --runs (default ~/Strata/runs).`;

export const DEFAULT_RUNS_DIR = path.join(os.homedir(), 'Strata', 'runs');

/** Starts the web host and resolves when it is told to stop (Ctrl-C / SIGTERM). */
export async function serveCommand(args: { port: number; host: string; runs: string }, io: CliIo, stopSignal?: AbortSignal): Promise<number> {
  ensureRendererBuilt((line) => io.err(line));
  const engine = new EngineHost();
  const router = createStudioRouter({ engine, runsDir: path.resolve(args.runs) });
  const host = await startWebHost({ router, rendererDir: RENDERER_DIR, port: args.port, host: args.host });
  if (!isLoopback(args.host)) {
    io.err(`warning: serving on ${args.host}, reachable from other machines. Anyone with the URL (it contains the token) can train and read files as you.`);
  }
  io.out(`Strata studio: ${host.url}`);
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
