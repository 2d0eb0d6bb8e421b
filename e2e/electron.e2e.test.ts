import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { _electron as electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ROOT } from './studio-harness.ts';

// The desktop shell, where an Electron binary exists. On machines where Electron's
// download failed (as on these CI boxes) this prints why and skips; the same renderer,
// router and engine are covered by studio.e2e.test.ts through the web host.
function electronBinary(): string | null {
  try {
    const dir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    const bin = path.join(dir, 'dist', fs.readFileSync(path.join(dir, 'path.txt'), 'utf8').trim());
    return fs.existsSync(bin) ? bin : null;
  } catch {
    return null; // never downloaded: electron has no path.txt
  }
}

const bin = electronBinary();
if (!bin) console.log('e2e/electron: skipped — no Electron binary on this machine (its download failed); the web host e2e covers the studio.');

describe.skipIf(!bin)('the desktop app', () => {
  it('opens a secure window that talks to the engine', async () => {
    const app = await electron.launch({ executablePath: bin!, args: [ROOT], cwd: ROOT });
    try {
      const win = await app.firstWindow();
      await expect.poll(() => win.getByTestId('engine-badge').innerText(), { timeout: 60_000 }).toMatch(/native TensorFlow|fallback/i);
      // No Node in the page, and the preload's surface is the contract pipe alone.
      expect(await win.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
      expect(await win.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
      expect(await win.evaluate(() => Object.keys((globalThis as unknown as { strataBridge: object }).strataBridge).sort())).toEqual(['onMessage', 'send']);
    } finally {
      await app.close();
    }
  });
});
