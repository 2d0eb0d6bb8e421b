import { describe, expect, it } from 'vitest';
import { classifyNativeLoadError } from './native-load-error.ts';

// Each message is what Node/tfjs-node really printed on this machine when the part was
// broken by hand (library deleted, binding deleted, a libtensorflow of another version).
const REAL_FAILURES: Array<[string, string]> = [
  ["Cannot find module '@tensorflow/tfjs-node'\nRequire stack:\n- /x/load-engine-backend.ts", 'NATIVE_NOT_INSTALLED'],
  ['The Node.js native addon module (tfjs_binding.node) can not be found at path: /w/node_modules/@tensorflow/tfjs-node/lib/napi-v8/tfjs_binding.node. \nPlease run command', 'NATIVE_BINDING_MISSING'],
  ['libtensorflow_cc.so.2: cannot open shared object file: No such file or directory', 'NATIVE_LIBRARY_MISSING'],
  ['/w/node_modules/@tensorflow/tfjs-node/lib/napi-v8/../../deps/lib/libtensorflow_cc.so.2: undefined symbol: _ZN3xla42_ComputeConstantResponse_default_instance_E', 'NATIVE_LIBRARY_MISMATCH'],
  ['Illegal instruction in something new', 'NATIVE_LOAD_FAILED'],
];

describe('classifyNativeLoadError', () => {
  it.each(REAL_FAILURES)('classifies %j as %s with a fix to run', (message, code) => {
    const problem = classifyNativeLoadError(new Error(message));
    expect(problem.code).toBe(code);
    expect(problem.severity).toBe('error');
    expect(problem.fix).toMatch(/npm (run provision-native|install)/);
  });

  it('names the missing library and the missing symbol', () => {
    expect(classifyNativeLoadError(new Error(REAL_FAILURES[2]![0])).message).toContain('libtensorflow_cc.so.2');
    expect(classifyNativeLoadError(new Error(REAL_FAILURES[3]![0])).message).toContain('_ZN3xla42_ComputeConstantResponse_default_instance_E');
  });
});
