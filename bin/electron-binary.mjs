// Where Electron's binary is, or null when its download never happened. Reads electron's own
// record (path.txt) rather than require('electron'): when the binary is missing, that
// require tries to download it again and prints a stack trace.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** @returns {string | null} */
export function electronBinary() {
  try {
    const dir = path.dirname(require.resolve('electron/package.json'));
    const bin = path.join(dir, 'dist', fs.readFileSync(path.join(dir, 'path.txt'), 'utf8').trim());
    return fs.existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}
