#!/usr/bin/env node
// `npm start`: the desktop app when an Electron binary is installed; otherwise one line
// saying why, and the same studio served on a loopback URL (`strata serve`).
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBinary } from './electron-binary.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const bin = electronBinary();
if (bin) {
  const cli = path.join(root, 'node_modules/electron-vite/bin/electron-vite.js');
  const built = spawnSync(process.execPath, [cli, 'build'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
  const r = spawnSync(bin, [root], { cwd: root, stdio: 'inherit' });
  process.exit(r.status ?? 0);
} else {
  console.log('Electron\'s binary is not installed on this machine (its download failed), so the studio is served to your browser instead:');
  // Standing in for the desktop app on this machine, the studio may open files where the
  // app could: your home folder, and the folder npm start was run from (INIT_CWD) if that
  // lies elsewhere. `npm start -- --root <dir>` chooses the folders instead.
  const args = process.argv.slice(2);
  const roots = args.includes('--root') ? [] : [...new Set([os.homedir(), process.env.INIT_CWD ?? root])].flatMap((dir) => ['--root', dir]);
  const r = spawnSync(process.execPath, [path.join(root, 'bin/strata.mjs'), 'serve', ...roots, ...args], { cwd: root, stdio: 'inherit' });
  process.exit(r.status ?? 0);
}
