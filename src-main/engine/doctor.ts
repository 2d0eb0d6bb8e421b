import type { DoctorReport, EngineProblem } from '../../src-shared/contract/engine-report.ts';
import { EngineBackendError, forcedBackendFromEnv, loadEngineBackend, type EngineBackend } from './backend/load-engine-backend.ts';
import { measureMatmulGflops } from './backend/matmul-benchmark.ts';
import { loadGraphBinding } from './graph/load-graph-binding.ts';
import { readNativeReference, writeNativeReference } from './backend/native-reference.ts';

/** The engine's speed as measured now, and how it compares with native on this machine. */
export interface BackendSpeed {
  matmulGflops: number;
  /** native GFLOP/s ÷ this backend's, when a native measurement exists here; 1 on native. */
  slowdownVsNative: number | null;
}

/**
 * Measures the backend and keeps the native figure as this machine's reference, so a later
 * fallback run can state how much slower it is from a measurement rather than a guess.
 */
export async function measureBackendSpeed(backend: EngineBackend, budgetMs = 400): Promise<BackendSpeed> {
  const matmulGflops = await measureMatmulGflops(backend.tf, { budgetMs });
  if (backend.native) {
    writeNativeReference({ matmulGflops, measuredAt: new Date().toISOString(), libtensorflowVersion: backend.libtensorflowVersion });
    return { matmulGflops, slowdownVsNative: 1 };
  }
  const ref = readNativeReference();
  return { matmulGflops, slowdownVsNative: ref ? ref.matmulGflops / matmulGflops : null };
}

/** One line naming the backend; on a fallback it is a warning with the measured slowdown. */
export function backendLine(backend: EngineBackend, speed: BackendSpeed): string {
  const gflops = `matmul ${speed.matmulGflops.toFixed(1)} GFLOP/s`;
  if (backend.native) {
    return `engine: native TensorFlow (libtensorflow ${backend.libtensorflowVersion}), ${backend.threads} threads, ${gflops}`;
  }
  const ratio = speed.slowdownVsNative === null
    ? 'no native measurement on this machine to compare with'
    : `${speed.slowdownVsNative.toFixed(0)}× slower than the native engine measured on this machine`;
  return `warning: engine is the ${backend.name} fallback, not native TensorFlow — ${gflops}, ${ratio}. Run \`npx strata doctor\` for the fix.`;
}

/** Loads Strata's graph addon; a native engine without it trains op by op, about half as fast. */
function probeGraphEngine(): { ok: boolean; problem: EngineProblem | null } {
  try {
    loadGraphBinding();
    return { ok: true, problem: null };
  } catch (err) {
    return {
      ok: false,
      problem: {
        code: 'GRAPH_ENGINE_MISSING', severity: 'warning',
        message: `Strata's graph engine does not load (${err instanceof Error ? err.message.split('\n')[0] : String(err)}), so training runs op by op, about half as fast.`,
        fix: 'Run `npm run provision-native` (it builds the addon with node-gyp against the native libtensorflow).',
      },
    };
  }
}

/** Everything `strata doctor` reports. Never throws for an engine problem: it reports it. */
export async function runDoctor(): Promise<DoctorReport> {
  let backend: EngineBackend;
  try {
    backend = await loadEngineBackend();
  } catch (err) {
    if (!(err instanceof EngineBackendError)) throw err;
    let forced = null;
    try { forced = forcedBackendFromEnv(); } catch { /* the problem list already says so */ }
    return {
      backend: null, native: false, tfVersion: 'unavailable', libtensorflowVersion: null, threads: 0,
      matmulGflops: 0, slowdownVsNative: null, forced, graphEngine: false, problems: [...err.problems],
    };
  }
  const speed = await measureBackendSpeed(backend);
  const graph = backend.native ? probeGraphEngine() : { ok: false, problem: null };
  return {
    backend: backend.name,
    native: backend.native,
    tfVersion: backend.tf.version_core,
    libtensorflowVersion: backend.libtensorflowVersion,
    threads: backend.threads,
    matmulGflops: Number(speed.matmulGflops.toFixed(2)),
    slowdownVsNative: speed.slowdownVsNative === null ? null : Number(speed.slowdownVsNative.toFixed(1)),
    forced: backend.forced,
    graphEngine: graph.ok,
    problems: [...backend.problems, ...(graph.problem ? [graph.problem] : [])],
  };
}
