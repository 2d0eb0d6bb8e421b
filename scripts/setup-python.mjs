#!/usr/bin/env node
// Creates the Python venv Strata uses to check Keras exports and run exported training
// scripts: tensorflow-cpu from PyPI (through pip, so mirror settings apply) in
// <cache>/strata/python-keras. Once per machine; a venv that already imports it is kept.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const TENSORFLOW = 'tensorflow-cpu==2.21.0';
const cache = process.env.STRATA_CACHE_DIR ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'strata');
const venv = path.join(cache, 'python-keras');
const python = path.join(venv, 'bin', 'python');

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`[strata python] ${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.error})`);
    process.exit(1);
  }
}

const ready = fs.existsSync(python) && spawnSync(python, ['-c', 'import tensorflow, keras, h5py'], { env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' } }).status === 0;
if (ready) {
  console.log(`[strata python] ready: ${python}`);
} else {
  console.log(`[strata python] creating ${venv} with ${TENSORFLOW} (about 300 MB, once per machine)`);
  fs.mkdirSync(cache, { recursive: true });
  run('python3', ['-m', 'venv', venv]);
  run(python, ['-m', 'pip', 'install', '-q', TENSORFLOW, 'h5py']);
  console.log(`[strata python] ready: ${python}`);
}
