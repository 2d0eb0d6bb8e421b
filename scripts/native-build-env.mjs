// What both native build steps of `npm install` share: where Strata caches what it fetched
// or built, how to run a tool with its output kept for the error message, and where npm's
// own node-gyp is.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const cacheRoot = process.env.STRATA_CACHE_DIR
  ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'strata');

export const say = (line) => console.log(`[strata native engine] ${line}`);

export function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
  if (r.status !== 0) {
    const tail = `${r.stdout ?? ''}\n${r.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
    throw new Error(`\`${path.basename(cmd)} ${args.join(' ')}\` failed (${r.error ?? `exit ${r.status}`}):\n${tail}`);
  }
  return r.stdout;
}

export function nodeGypPath() {
  if (process.env.npm_config_node_gyp && fs.existsSync(process.env.npm_config_node_gyp)) return process.env.npm_config_node_gyp;
  const npmCli = process.env.npm_execpath ?? execFileSync('npm', ['root', '-g'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  for (const guess of [
    path.join(path.dirname(npmCli), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    path.join(npmCli, 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ]) if (fs.existsSync(guess)) return guess;
  throw new Error('node-gyp (bundled with npm) was not found; install it with `npm i -g node-gyp` and retry');
}

/**
 * Node's headers for node-gyp: npm passes its `nodedir` setting as npm_config_nodedir when
 * it runs a script; a script run by hand asks npm (this machine's npm sets it to the
 * installed Node's own headers, so nothing is downloaded).
 */
export function nodedirArgs() {
  let nodedir = process.env.npm_config_nodedir;
  if (!nodedir) {
    try { nodedir = execFileSync('npm', ['config', 'get', 'nodedir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(); } catch { nodedir = ''; }
  }
  return nodedir && nodedir !== 'undefined' && nodedir !== 'null' ? [`--nodedir=${nodedir}`] : [];
}
