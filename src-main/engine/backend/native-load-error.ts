import type { EngineProblem } from '../../../src-shared/contract/engine-report.ts';

const REPROVISION = 'Run `npm run provision-native` in the Strata folder (it fetches libtensorflow from PyPI and rebuilds the binding), then `npx strata doctor`.';

/**
 * Turns the error thrown while loading @tensorflow/tfjs-node into a problem a user can act on.
 * The raw messages name .so files and N-API internals; users need to know which part is
 * missing and which command puts it back.
 */
export function classifyNativeLoadError(err: unknown): EngineProblem {
  const raw = err instanceof Error ? err.message : String(err);
  const first = raw.split('\n')[0] ?? raw;
  if (/Cannot find module '@tensorflow\/tfjs-node'|Cannot find package '@tensorflow\/tfjs-node'/.test(raw)) {
    return {
      code: 'NATIVE_NOT_INSTALLED',
      severity: 'error',
      message: '@tensorflow/tfjs-node is not installed, so the native TensorFlow engine is unavailable.',
      fix: `Run \`npm install\` in the Strata folder. ${REPROVISION}`,
    };
  }
  if (/tfjs_binding\.node\) can not be found/.test(raw)) {
    return {
      code: 'NATIVE_BINDING_MISSING',
      severity: 'error',
      message: 'The tfjs-node native binding (tfjs_binding.node) was never built on this machine.',
      fix: REPROVISION,
    };
  }
  const missingLib = /(lib[\w.-]+\.so[\w.]*): cannot open shared object file/.exec(raw);
  if (missingLib) {
    return {
      code: 'NATIVE_LIBRARY_MISSING',
      severity: 'error',
      message: `The native library ${missingLib[1]} that the tfjs-node binding needs is missing or unreadable.`,
      fix: REPROVISION,
    };
  }
  const symbol = /undefined symbol: (\w+)/.exec(raw);
  if (symbol) {
    return {
      code: 'NATIVE_LIBRARY_MISMATCH',
      severity: 'error',
      message: `The libtensorflow found does not match the tfjs-node binding (missing symbol ${symbol[1]}): it is the wrong version.`,
      fix: `Delete node_modules/@tensorflow/tfjs-node/deps, then: ${REPROVISION}`,
    };
  }
  return {
    code: 'NATIVE_LOAD_FAILED',
    severity: 'error',
    message: `The native TensorFlow engine failed to load: ${first}`,
    fix: REPROVISION,
  };
}
