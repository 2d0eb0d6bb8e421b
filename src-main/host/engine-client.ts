import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ContractClient, type Transport } from '../../src-shared/contract/contract-client.ts';
import type { engineCommands, engineStreams } from '../../src-shared/contract/engine-protocol.ts';

export type EngineClient = ContractClient<typeof engineCommands, typeof engineStreams>;

/** How to start one engine process; Electron passes a utilityProcess-based one. */
export type EngineLauncher = () => { transport: Transport; kill(): void; pid?: number };

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** Starts the engine as a Node child process running the TypeScript sources through tsx. */
export const childProcessLauncher: EngineLauncher = () => {
  const entry = path.resolve(here, '../engine/engine-main.ts');
  const tsx = pathToFileURL(require.resolve('tsx')).href;
  const child: ChildProcess = fork(entry, [], {
    execArgv: ['--import', tsx],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: process.env.TF_CPP_MIN_LOG_LEVEL ?? '2' },
    serialization: 'advanced',
  });
  const closeListeners: Array<(reason: string) => void> = [];
  let exited = false;
  child.on('exit', (code, signal) => {
    exited = true;
    const reason = signal ? `the engine process was killed (${signal})` : `the engine process exited with code ${code}`;
    for (const l of closeListeners) l(reason);
  });
  return {
    transport: {
      send: (msg) => { if (!exited) child.send(msg); },
      onMessage: (l) => { child.on('message', l); },
      onClose: (l) => { closeListeners.push(l); },
    },
    kill: () => { if (!exited) child.kill('SIGKILL'); },
    pid: child.pid,
  };
};

/**
 * Owns the engine process: starts it on first use and again after it dies (a native crash
 * or out-of-memory), at most `maxRestarts` times in a row without a successful call, and
 * remembers why it died so the window and the CLI can say so.
 */
export class EngineHost {
  private current: { client: EngineClient; kill(): void; pid?: number } | null = null;
  private failures = 0;
  lastDeath: string | null = null;

  constructor(private readonly launch: EngineLauncher = childProcessLauncher, private readonly maxRestarts = 3) {}

  client(): EngineClient {
    if (this.current && !this.current.client.closed) return this.current.client;
    if (this.current) this.failures += 1;
    if (this.failures > this.maxRestarts) {
      throw Object.assign(new Error(`The engine process keeps dying (last: ${this.lastDeath}); restart Strata.`), { code: 'ENGINE_DEAD' });
    }
    const { transport, kill, pid } = this.launch();
    transport.onClose((reason) => { this.lastDeath = reason; });
    this.current = { client: new ContractClient(transport), kill, pid };
    return this.current.client;
  }

  /** The running engine's process id, if one runs now (and its launcher told). */
  get pid(): number | null {
    return this.current && !this.current.client.closed ? this.current.pid ?? null : null;
  }

  /** Call after a successful exchange: the restart budget is for crash loops only. */
  healthy(): void {
    this.failures = 0;
  }

  /** Ends the engine process now (a hard stop); the next request starts a new one. */
  kill(): void {
    this.current?.kill();
  }

  dispose(): void {
    this.current?.kill();
    this.current = null;
  }
}
