#!/usr/bin/env node
// Runs at the end of `npm install` (postinstall). Makes sure @tensorflow/tfjs-node
// loads with a native libtensorflow, in this order of preference:
//   a. tfjs-node's own install (it downloads libtensorflow itself) already worked;
//   b. libtensorflow taken from the `tensorflow-cpu` wheel on PyPI (through pip, so
//      the user's pip mirrors apply), and the tfjs-node binding built from source
//      against it with node-gyp.
// Everything fetched or built is cached outside the repo, so a second install is
// offline and takes seconds. This script never fails `npm install`: when no native
// engine can be had it says why and what to run, and Strata uses its wasm fallback
// (and says so in `strata doctor`, in the CLI and in the window).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildGraphAddon } from './build-graph-addon.mjs';
import { cacheRoot, nodeGypPath, run, say } from './native-build-env.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const TFJS_NODE_VERSION = pkg.optionalDependencies['@tensorflow/tfjs-node'];
// tfjs-node 4.22 was built against libtensorflow 2.9.1, whose wheels need a Python
// runtime loaded (their C API lives in the Python extension). 2.15.1 is the newest
// wheel checked here whose `libtensorflow_cc.so.2` exports the whole C and eager C
// API without Python; the C API is stable across 2.x, and the binding is rebuilt
// against this version's headers. Bump both together and re-run the engine tests.
const TF_WHEEL = { name: 'tensorflow-cpu', version: '2.15.1', pythonVersion: '3.11' };
const tfjsNodeDir = path.join(root, 'node_modules', '@tensorflow', 'tfjs-node');
const libCacheDir = path.join(cacheRoot, `libtensorflow-${TF_WHEEL.version}-${process.platform}-${process.arch}`);
const addonCacheDir = path.join(cacheRoot,
  `tfjs-node-${TFJS_NODE_VERSION}-tf-${TF_WHEEL.version}-napi-${process.versions.napi}-${process.platform}-${process.arch}`);

/** Loads tfjs-node in a child process (a broken native library can abort the process). */
function probeNativeEngine() {
  const probe = `const tf=require(${JSON.stringify(tfjsNodeDir)});` +
    `const s=tf.matMul(tf.ones([8,8]),tf.ones([8,8])).sum().dataSync()[0];` +
    `if(tf.getBackend()!=='tensorflow'||s!==512)throw new Error('backend '+tf.getBackend()+' sum '+s);`;
  const r = spawnSync(process.execPath, ['-e', probe], {
    encoding: 'utf8', env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' }, timeout: 120_000,
  });
  if (r.status === 0) return { ok: true };
  const lines = `${r.stderr ?? ''}${r.error ? String(r.error) : ''}`.split('\n');
  const why = lines.find((l) => /Error:|error while loading|undefined symbol|Cannot find/.test(l)) ?? lines.find(Boolean) ?? `exit ${r.status}`;
  return { ok: false, why: why.trim() };
}

function findPython() {
  for (const py of ['python3', 'python']) {
    const r = spawnSync(py, ['-m', 'pip', '--version'], { encoding: 'utf8' });
    if (r.status === 0) return py;
  }
  throw new Error('no Python with pip was found (needed to fetch the tensorflow-cpu wheel from PyPI). ' +
    'Install python3 and python3-pip, then run `npm run provision-native`.');
}

// Only what the binding needs: the two libraries and the C API headers.
const EXTRACT_PY = `
import sys, zipfile, os, shutil
wheel, dest = sys.argv[1], sys.argv[2]
keep_prefixes = ('tensorflow/include/tensorflow/c/', 'tensorflow/include/tensorflow/core/platform/',
                 'tensorflow/include/tensorflow/tsl/', 'tensorflow/include/tsl/')
libs = {'tensorflow/libtensorflow_cc.so.2', 'tensorflow/libtensorflow_framework.so.2'}
with zipfile.ZipFile(wheel) as z:
    for info in z.infolist():
        n = info.filename
        if n.endswith('/'):
            continue
        if n in libs:
            out = os.path.join(dest, 'lib', os.path.basename(n))
        elif n.startswith(keep_prefixes) and n.endswith('.h'):
            out = os.path.join(dest, 'include', n[len('tensorflow/include/'):])
        else:
            continue
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with z.open(info) as src, open(out, 'wb') as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        os.chmod(out, 0o755 if out.endswith('.2') else 0o644)
`;

/** Fetches libtensorflow from the tensorflow-cpu wheel into the cache (once per machine). */
function ensureLibtensorflowCache() {
  const ready = path.join(libCacheDir, 'lib', 'libtensorflow_cc.so.2');
  if (fs.existsSync(ready)) { say(`libtensorflow ${TF_WHEEL.version} found in the cache ${libCacheDir}`); return; }
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`provisioning libtensorflow from a wheel is supported on linux-x64 only (this is ${process.platform}-${process.arch})`);
  }
  const python = findPython();
  fs.mkdirSync(cacheRoot, { recursive: true });
  const work = fs.mkdtempSync(path.join(cacheRoot, '.fetch-'));
  try {
    say(`fetching ${TF_WHEEL.name}==${TF_WHEEL.version} from PyPI with pip (about 200 MB, once per machine)`);
    run(python, ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '--python-version', TF_WHEEL.pythonVersion,
      '--platform', 'manylinux2014_x86_64', `${TF_WHEEL.name}==${TF_WHEEL.version}`, '-d', work, '-q']);
    const wheel = fs.readdirSync(work).find((f) => f.endsWith('.whl'));
    if (!wheel) throw new Error(`pip reported success but left no wheel in ${work}`);
    const staged = path.join(work, 'staged');
    run(python, ['-c', EXTRACT_PY, path.join(work, wheel), staged]);
    fs.rmSync(libCacheDir, { recursive: true, force: true });
    fs.renameSync(staged, libCacheDir); // atomic: a half-extracted cache is never seen
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function linkOrCopy(src, dest) {
  fs.rmSync(dest, { force: true });
  try { fs.linkSync(src, dest); } catch { fs.copyFileSync(src, dest); }
}

/** Lays libtensorflow out where tfjs-node's binding.gyp and its rpath expect it. */
function stageDeps() {
  const deps = path.join(tfjsNodeDir, 'deps');
  fs.rmSync(deps, { recursive: true, force: true });
  fs.mkdirSync(path.join(deps, 'lib'), { recursive: true });
  fs.cpSync(path.join(libCacheDir, 'include'), path.join(deps, 'include'), { recursive: true });
  for (const lib of ['libtensorflow_cc.so.2', 'libtensorflow_framework.so.2']) {
    linkOrCopy(path.join(libCacheDir, 'lib', lib), path.join(deps, 'lib', lib));
  }
  // binding.gyp links -ltensorflow; the cc library carries the C API under its own soname,
  // which is what the built binding records and finds through its rpath.
  fs.symlinkSync('libtensorflow_cc.so.2', path.join(deps, 'lib', 'libtensorflow.so'));
  fs.symlinkSync('libtensorflow_framework.so.2', path.join(deps, 'lib', 'libtensorflow_framework.so'));
  // tfjs-node's scripts look for this name to decide that libtensorflow is present.
  fs.symlinkSync('libtensorflow_cc.so.2', path.join(deps, 'lib', 'libtensorflow.so.2.9.1'));
}

function bindingPath() {
  const bin = JSON.parse(fs.readFileSync(path.join(tfjsNodeDir, 'package.json'), 'utf8')).binary;
  const napi = Math.max(...bin.napi_versions.filter((v) => v <= Number(process.versions.napi)));
  return path.join(tfjsNodeDir, bin.module_path.replace('{napi_build_version}', String(napi)), `${bin.module_name}.node`);
}

/** Builds the N-API binding against the staged libtensorflow, or reuses a cached build. */
function buildBinding() {
  const target = bindingPath();
  const cached = path.join(addonCacheDir, path.basename(target));
  fs.mkdirSync(path.dirname(target), { recursive: true });
  if (fs.existsSync(cached)) {
    fs.copyFileSync(cached, target);
    say('reused the binding built earlier on this machine');
    return;
  }
  say('building the tfjs-node binding from source with node-gyp (about a minute)');
  const preGyp = path.join(path.dirname(require_resolve('@mapbox/node-pre-gyp/package.json')), 'bin', 'node-pre-gyp');
  run(process.execPath, [preGyp, 'rebuild', '--build-from-source'], {
    cwd: tfjsNodeDir, env: { ...process.env, npm_config_node_gyp: nodeGypPath() },
  });
  fs.mkdirSync(addonCacheDir, { recursive: true });
  fs.copyFileSync(target, `${cached}.tmp`);
  fs.renameSync(`${cached}.tmp`, cached);
}

function require_resolve(id) {
  const search = [path.join(tfjsNodeDir, 'node_modules'), path.join(root, 'node_modules')];
  for (const dir of search) if (fs.existsSync(path.join(dir, id))) return path.join(dir, id);
  throw new Error(`${id} is missing (a dependency of @tensorflow/tfjs-node); re-run npm install`);
}

/** The graph addon on top of a working native engine; its failure costs speed, never the install. */
function graphAddonStep() {
  try {
    buildGraphAddon();
  } catch (err) {
    say('graph engine: FAILED to build Strata\'s graph addon:');
    for (const line of String(err instanceof Error ? err.message : err).split('\n')) say(`  ${line}`);
    say('Training still runs on native TensorFlow, op by op (about half as fast). Fix the cause above, then run `npm run provision-native`.');
  }
}

function main() {
  if (process.env.STRATA_SKIP_NATIVE === '1') { say('skipped (STRATA_SKIP_NATIVE=1); Strata will use its wasm fallback'); return; }
  const first = probeNativeEngine();
  if (first.ok) {
    say('ready: @tensorflow/tfjs-node loads its native libtensorflow');
    graphAddonStep();
    return;
  }
  say(`tfjs-node's own libtensorflow is not usable here (${first.why}); provisioning it from a registry package`);
  try {
    if (!fs.existsSync(path.join(tfjsNodeDir, 'package.json'))) {
      throw new Error('@tensorflow/tfjs-node is not in node_modules; run `npm install` (restore-optional-packages.mjs puts it back)');
    }
    ensureLibtensorflowCache();
    stageDeps();
    buildBinding();
    const check = probeNativeEngine();
    if (!check.ok) throw new Error(`the built engine does not load: ${check.why}`);
    say(`ready: native libtensorflow ${TF_WHEEL.version} from the ${TF_WHEEL.name} wheel (cache: ${cacheRoot})`);
    graphAddonStep();
  } catch (err) {
    say('FAILED to provision the native engine:');
    for (const line of String(err instanceof Error ? err.message : err).split('\n')) say(`  ${line}`);
    say('Strata still works, on its much slower wasm fallback. Fix the cause above, then run `npm run provision-native`;');
    say('`npx strata doctor` shows which engine runs and how fast.');
  }
}

main();
