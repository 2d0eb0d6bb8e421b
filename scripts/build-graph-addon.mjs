#!/usr/bin/env node
// Builds Strata's graph addon (src-main/engine/graph/native) with npm's node-gyp against
// the libtensorflow in @tensorflow/tfjs-node's deps/ — tfjs-node's own download or the
// one provision-native-engine.mjs took from PyPI. On native TensorFlow, training runs
// each whole step as one graph through it; without it, op by op (about half as fast).
// The build is cached by a hash of the sources, the library and the N-API version, so a
// second `npm install` copies it in seconds. Runs from provision-native-engine.mjs, or
// alone: `node scripts/build-graph-addon.mjs`.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheRoot, nodedirArgs, nodeGypPath, run, say } from './native-build-env.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const addonDir = path.join(root, 'src-main', 'engine', 'graph', 'native');
const builtAddon = path.join(addonDir, 'build', 'Release', 'strata_graph.node');
const tfLibDir = path.join(root, 'node_modules', '@tensorflow', 'tfjs-node', 'deps', 'lib');

function cacheKey() {
  const hash = crypto.createHash('sha256');
  for (const file of fs.readdirSync(addonDir).filter((f) => /\.(c|h|gyp)$/.test(f)).sort()) {
    hash.update(file).update(fs.readFileSync(path.join(addonDir, file)));
  }
  const lib = ['libtensorflow.so.2', 'libtensorflow.so'].map((f) => path.join(tfLibDir, f)).find((f) => fs.existsSync(f));
  if (!lib) throw new Error(`no libtensorflow in ${tfLibDir}; the native engine must be installed first (npm run provision-native)`);
  const real = fs.realpathSync(lib);
  hash.update(real).update(String(fs.statSync(real).size)).update(process.versions.napi).update(`${process.platform}-${process.arch}`);
  return hash.digest('hex').slice(0, 16);
}

/** Loads the addon in a child process and runs a one-op graph through libtensorflow. */
function probeAddon() {
  const probe = `const b=require(${JSON.stringify(builtAddon)});const g=b.newGraph();` +
    `b.addOperation(g,{op:'Const',name:'c',inputs:[],attrs:{dtype:{type:'dtype',value:'float32'},` +
    `value:{type:'tensor',value:{dtype:'float32',shape:[2],data:Float32Array.of(1,2)}}}});` +
    `b.addOperation(g,{op:'Neg',name:'n',inputs:[['c',0]],attrs:{T:{type:'dtype',value:'float32'}}});` +
    `const s=b.newSession(g);const [r]=b.run(s,[],[['n',0]]);b.closeSession(s);` +
    `if(r.data[0]!==-1||r.data[1]!==-2)throw new Error('wrong result '+r.data);`;
  const r = spawnSync(process.execPath, ['-e', probe], {
    encoding: 'utf8', env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' }, timeout: 60_000,
  });
  if (r.status !== 0) throw new Error(`the built graph addon does not work: ${(r.stderr || `exit ${r.status}`).trim().split('\n').slice(-3).join(' | ')}`);
}

/** Builds (or reuses) the addon. Throws with what failed; the caller decides how loud to be. */
export function buildGraphAddon() {
  const cached = path.join(cacheRoot, `strata-graph-${cacheKey()}`, 'strata_graph.node');
  fs.mkdirSync(path.dirname(builtAddon), { recursive: true });
  if (fs.existsSync(cached)) {
    fs.copyFileSync(cached, builtAddon);
    probeAddon();
    say('graph engine: reused the addon built earlier on this machine');
    return;
  }
  say('graph engine: building Strata\'s addon with node-gyp (a few seconds)');
  run(process.execPath, [nodeGypPath(), 'rebuild', ...nodedirArgs()], { cwd: addonDir });
  probeAddon();
  fs.mkdirSync(path.dirname(cached), { recursive: true });
  fs.copyFileSync(builtAddon, `${cached}.tmp`);
  fs.renameSync(`${cached}.tmp`, cached);
  say('graph engine: ready');
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    buildGraphAddon();
  } catch (err) {
    say(`graph engine: FAILED — ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}
