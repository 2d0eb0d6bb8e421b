import { createRequire } from 'node:module';
import os from 'node:os';
import type * as tfType from '@tensorflow/tfjs';
import {
  BackendNameSchema,
  type BackendName,
  type EngineProblem,
} from '../../../src-shared/contract/engine-report.ts';
import { classifyNativeLoadError } from './native-load-error.ts';
import { registerNativeStepKernel } from './native-step-kernel.ts';

export type Tf = typeof tfType;

/** The engine's compute backend, chosen once per process. */
export interface EngineBackend {
  /** The tfjs namespace to build and run models with (tfjs-node's when native). */
  readonly tf: Tf;
  readonly name: BackendName;
  readonly native: boolean;
  readonly threads: number;
  /** libtensorflow's own version when native. */
  readonly libtensorflowVersion: string | null;
  /** The backend named by STRATA_BACKEND, if any. */
  readonly forced: BackendName | null;
  /** Why a faster backend is not in use, and what to do about it. */
  readonly problems: readonly EngineProblem[];
}

/** Thrown when a forced or required backend cannot run; carries the user-facing problem. */
export class EngineBackendError extends Error {
  constructor(readonly problems: readonly EngineProblem[]) {
    super(problems.map((p) => `${p.message} ${p.fix}`).join('\n'));
    this.name = 'EngineBackendError';
  }
}

const require = createRequire(import.meta.url);

/** Reads STRATA_BACKEND; an unknown value is an error, never silently ignored. */
export function forcedBackendFromEnv(env: NodeJS.ProcessEnv = process.env): BackendName | null {
  const raw = env.STRATA_BACKEND?.trim();
  if (!raw) return null;
  const parsed = BackendNameSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new EngineBackendError([{
    code: 'UNKNOWN_FORCED_BACKEND',
    severity: 'error',
    message: `STRATA_BACKEND=${raw} is not a backend Strata knows.`,
    fix: `Set STRATA_BACKEND to one of ${BackendNameSchema.options.join(', ')}, or unset it to let Strata choose.`,
  }]);
}

function loadNative(): { tf: Tf; libtensorflowVersion: string } {
  // libtensorflow logs banner lines at INFO level on every start; users only need warnings.
  process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
  const tf = require('@tensorflow/tfjs-node') as Tf;
  const backend = tf.backend() as unknown as { binding?: { TF_Version?: string } };
  if (tf.getBackend() !== 'tensorflow') throw new Error(`tfjs-node loaded but the active backend is ${tf.getBackend()}`);
  registerNativeStepKernel(tf);
  return { tf, libtensorflowVersion: backend.binding?.TF_Version ?? 'unknown' };
}

async function loadWasm(): Promise<Tf> {
  const tf = require('@tensorflow/tfjs') as Tf;
  require('@tensorflow/tfjs-backend-wasm');
  const { registerWasmGradientKernels, replaceWasmConv2DBackpropInput } = await import('./wasm-gradient-kernels.ts');
  registerWasmGradientKernels();
  // The stock input gradient is a scalar loop (~10× slower); ours is tested against cpu.
  replaceWasmConv2DBackpropInput();
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend failed to initialise');
  return tf;
}

async function loadCpu(): Promise<Tf> {
  const tf = require('@tensorflow/tfjs') as Tf;
  if (!(await tf.setBackend('cpu'))) throw new Error('the cpu backend failed to initialise');
  return tf;
}

function wasmThreads(): number {
  const wasm = require('@tensorflow/tfjs-backend-wasm') as { getThreadsCount(): number };
  return Math.max(1, wasm.getThreadsCount());
}

function fallbackProblem(name: BackendName): EngineProblem {
  return {
    code: 'FALLBACK_IN_USE',
    severity: 'warning',
    message: `Strata is running on the ${name} fallback, not native TensorFlow; training is much slower.`,
    fix: 'Fix the native engine problem listed above, then run `npx strata doctor` again.',
  };
}

let chosen: Promise<EngineBackend> | null = null;

/**
 * Picks the fastest backend that works: native tfjs-node, then wasm with Strata's gradient
 * kernels, then pure-JS cpu. A backend forced with STRATA_BACKEND that cannot load is an
 * error: the engine never quietly runs on something slower than the user asked for.
 */
export function loadEngineBackend(): Promise<EngineBackend> {
  chosen ??= chooseBackend().catch((err: unknown) => {
    chosen = null; // let a later call (after the user fixed things) try again
    throw err;
  });
  return chosen;
}

async function chooseBackend(): Promise<EngineBackend> {
  const forced = forcedBackendFromEnv();
  // tfjs prints its own banners (e.g. "install the node backend") on fallbacks; Strata
  // states the backend itself, once, with a measured figure.
  (require('@tensorflow/tfjs') as Tf).env().set('PROD', true);
  const problems: EngineProblem[] = [];
  const forcedFailure = (name: BackendName, err: unknown): EngineBackendError => new EngineBackendError([
    ...problems,
    {
      code: 'FORCED_BACKEND_UNAVAILABLE',
      severity: 'error',
      message: `STRATA_BACKEND=${name} was requested but that backend cannot run here: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`,
      fix: 'Unset STRATA_BACKEND to let Strata choose, or fix the problem above.',
    },
  ]);

  if (forced === null || forced === 'tensorflow') {
    try {
      const { tf, libtensorflowVersion } = loadNative();
      return { tf, name: 'tensorflow', native: true, threads: os.availableParallelism(), libtensorflowVersion, forced, problems };
    } catch (err) {
      problems.push(classifyNativeLoadError(err));
      if (forced === 'tensorflow') throw forcedFailure('tensorflow', err);
    }
  }
  if (forced === null || forced === 'wasm') {
    try {
      const tf = await loadWasm();
      if (forced === null) problems.push(fallbackProblem('wasm'));
      return { tf, name: 'wasm', native: false, threads: wasmThreads(), libtensorflowVersion: null, forced, problems };
    } catch (err) {
      if (forced === 'wasm') throw forcedFailure('wasm', err);
      problems.push({
        code: 'WASM_UNAVAILABLE',
        severity: 'error',
        message: `The wasm fallback failed to start: ${err instanceof Error ? err.message : String(err)}`,
        fix: 'Run `npm install` again; if it persists, report it with the output of `npx strata doctor`.',
      });
    }
  }
  const tf = await loadCpu();
  if (forced === null) problems.push(fallbackProblem('cpu'));
  return { tf, name: 'cpu', native: false, threads: 1, libtensorflowVersion: null, forced, problems };
}
