import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const RENDERER_DIR = path.join(root, 'out/renderer');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * The web host serves the same renderer build as Electron (out/renderer). Build it when it
 * is missing or older than its sources, so `strata serve` works right after `npm install`.
 */
export function ensureRendererBuilt(log: (line: string) => void): void {
  const index = path.join(RENDERER_DIR, 'index.html');
  const sources = Math.max(newestMtime(path.join(root, 'src-renderer')), newestMtime(path.join(root, 'src-shared')));
  if (fs.existsSync(index) && fs.statSync(index).mtimeMs >= sources) return;
  log('building the studio UI (electron-vite build)…');
  const cli = path.join(root, 'node_modules/electron-vite/bin/electron-vite.js');
  const r = spawnSync(process.execPath, [cli, 'build'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) {
    throw Object.assign(new Error(`Building the studio UI failed:\n${(r.stderr || r.stdout).trim().split('\n').slice(-15).join('\n')}`), { code: 'UI_BUILD_FAILED' });
  }
}
