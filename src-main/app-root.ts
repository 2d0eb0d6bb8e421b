import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding Strata's package.json (and `resources/`). Found by walking up from this
 * module rather than by a fixed number of `..`, because the same code runs from source
 * (src-main/…, under the CLI, tests and web host) and bundled by electron-vite (out/main/…).
 */
function findAppRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'strata') return dir;
    if (path.dirname(dir) === dir) throw new Error(`Strata's package.json was not found above ${start}; the installation is incomplete`);
  }
}

export const APP_ROOT = findAppRoot(path.dirname(fileURLToPath(import.meta.url)));

/**
 * A file shipped in the app's resources/ folder (scripts run by other runtimes for parity).
 * In a packaged app they are unpacked beside app.asar (asarUnpack), since Python and a
 * separate Node process cannot read inside the archive.
 */
export const resourcePath = (...parts: string[]): string =>
  path.join(APP_ROOT.replace(/app\.asar(?=$|[\\/])/, 'app.asar.unpacked'), 'resources', ...parts);
