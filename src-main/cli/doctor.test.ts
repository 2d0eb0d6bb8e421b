import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DoctorReportSchema } from '../../src-shared/contract/engine-report.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const hideNative = path.join(root, 'src-main/engine/testing/hide-native-engine.cjs');

/** Runs the real `strata` command as a user would, in its own process. */
function strata(args: string[], env: Record<string, string> = {}, nodeArgs: string[] = []) {
  const r = spawnSync(process.execPath, [...nodeArgs, path.join(root, 'bin/strata.mjs'), ...args], {
    cwd: root, encoding: 'utf8', env: { ...process.env, STRATA_BACKEND: '', ...env }, timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function doctorJson(env: Record<string, string> = {}, nodeArgs: string[] = []) {
  const r = strata(['doctor', '--json'], env, nodeArgs);
  return { ...r, report: DoctorReportSchema.parse(JSON.parse(r.stdout)) };
}

describe('strata doctor', () => {
  it('reports the native engine on a machine set up with npm install', () => {
    const { code, report } = doctorJson();
    expect(report.problems).toEqual([]);
    expect({ backend: report.backend, native: report.native, graphEngine: report.graphEngine, code }).toEqual({ backend: 'tensorflow', native: true, graphEngine: true, code: 0 });
    expect(report.libtensorflowVersion).toMatch(/^2\.\d+\.\d+/);
    expect(report.matmulGflops).toBeGreaterThan(1);
    expect(report.threads).toBeGreaterThanOrEqual(1);
  });

  it('prints a readable report without --json', () => {
    const { code, stdout } = strata(['doctor']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/engine\s+native TensorFlow \(libtensorflow 2\.\d+\.\d+\)/);
    expect(stdout).toMatch(/matmul\s+[\d.]+ GFLOP\/s/);
  });

  it('runs the forced wasm fallback and states its measured slowdown against native', () => {
    doctorJson(); // records this machine's native reference
    const { report } = doctorJson({ STRATA_BACKEND: 'wasm' });
    expect(report).toMatchObject({ backend: 'wasm', native: false, forced: 'wasm' });
    expect(report.slowdownVsNative).toBeGreaterThan(1);
  });

  it('refuses an unknown STRATA_BACKEND with a message, not a stack trace', () => {
    const { code, report, stderr } = doctorJson({ STRATA_BACKEND: 'gpu' });
    expect(code).toBe(1);
    expect(report.backend).toBeNull();
    expect(report.problems.map((p) => p.code)).toEqual(['UNKNOWN_FORCED_BACKEND']);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('on a machine without the native engine, falls back to wasm loudly and says what to run', () => {
    const { code, report } = doctorJson({}, ['--require', hideNative]);
    expect(code).toBe(1);
    expect(report.backend).toBe('wasm');
    expect(report.problems.map((p) => p.code)).toEqual(['NATIVE_NOT_INSTALLED', 'FALLBACK_IN_USE']);
    expect(report.problems[0]!.fix).toContain('npm run provision-native');
  });

  it('never switches silently when native is forced but missing', () => {
    const { code, report } = doctorJson({ STRATA_BACKEND: 'tensorflow' }, ['--require', hideNative]);
    expect(code).toBe(1);
    expect(report.backend).toBeNull();
    expect(report.problems.map((p) => p.code)).toEqual(['NATIVE_NOT_INSTALLED', 'FORCED_BACKEND_UNAVAILABLE']);
  });

  it('rejects an unknown command with usage and exit code 2', () => {
    const { code, stderr } = strata(['frobnicate']);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown command "frobnicate"');
  });
});
