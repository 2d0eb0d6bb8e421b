#!/usr/bin/env node
// Runs first in postinstall. npm drops an optional dependency whose own install script
// failed, and (once package-lock.json records it) does not try it again. Two of ours fail
// on machines that cannot reach their download hosts:
//   - @tensorflow/tfjs-node (downloads libtensorflow): provision-native-engine.mjs then
//     supplies libtensorflow from PyPI and builds the binding;
//   - electron (downloads its binary): its JS API and type definitions are still needed to
//     type-check and build the desktop layer; `npm start` then serves the studio in a
//     browser and says why.
// So unpack each one's registry tarball in place, without running its scripts. Their
// runtime dependencies are Strata's own dependencies, so npm has installed them already.
// Never fails `npm install`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const npmCli = process.env.npm_execpath;
const [npmCmd, npmPre] = npmCli && npmCli.endsWith('.js') ? [process.execPath, [npmCli]] : ['npm', []];

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${path.basename(cmd)} ${args.join(' ')}: ${r.error ?? (r.stderr || '').trim().split('\n').slice(-3).join(' ')}`);
  return r.stdout.trim();
}

function restore(name, version) {
  const dest = path.join(root, 'node_modules', name);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-restore-'));
  try {
    // npm pack goes through npm's cache and registry settings, like the install did.
    const tarball = run(npmCmd, [...npmPre, 'pack', `${name}@${version}`, '--silent', '--pack-destination', work], work).split('\n').pop();
    run('tar', ['-xzf', path.join(work, tarball), '-C', work], work);
    fs.rmSync(dest, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.cpSync(path.join(work, 'package'), dest, { recursive: true });
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

for (const [name, version] of Object.entries(pkg.optionalDependencies ?? {})) {
  if (fs.existsSync(path.join(root, 'node_modules', name, 'package.json'))) continue;
  console.log(`[strata] ${name}'s own install step failed here (it downloads from a host this machine cannot reach); unpacking ${name}@${version} without it`);
  try {
    restore(name, version);
  } catch (err) {
    console.log(`[strata] could not unpack ${name}: ${err instanceof Error ? err.message : err}`);
  }
}
