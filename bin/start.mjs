#!/usr/bin/env node
// `npm start`: the desktop app when an Electron binary is installed; otherwise one line
// saying why, and the same studio served on a loopback URL (`strata serve`).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

// Read electron's own record of its binary rather than require('electron'): when the binary
// is missing, that require tries to download it again and prints a stack trace.
function electronBinary() {
  try {
    const dir = path.dirname(require.resolve('electron/package.json'));
    const bin = path.join(dir, 'dist', fs.readFileSync(path.join(dir, 'path.txt'), 'utf8').trim());
    return fs.existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

const bin = electronBinary();
if (bin) {
  const cli = path.join(root, 'node_modules/electron-vite/bin/electron-vite.js');
  const built = spawnSync(process.execPath, [cli, 'build'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
  const r = spawnSync(bin, [root], { cwd: root, stdio: 'inherit' });
  process.exit(r.status ?? 0);
} else {
  console.log('Electron\'s binary is not installed on this machine (its download failed), so the studio is served to your browser instead:');
  const r = spawnSync(process.execPath, [path.join(root, 'bin/strata.mjs'), 'serve', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
  process.exit(r.status ?? 0);
}
