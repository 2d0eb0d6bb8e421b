import { describe, expect, it } from 'vitest';
import { isTrustedSender, secureWindowOptions } from './window-security.ts';

// Electron cannot run on these machines; its security settings are data, so assert them.
describe('the desktop window', () => {
  it('runs the page with no Node, an isolated sandboxed preload and web security on', () => {
    expect(secureWindowOptions('/app/preload.cjs').webPreferences).toEqual({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    });
  });

  it('trusts only its own renderer page as an IPC sender', () => {
    const ours = 'file:///opt/strata/out/renderer/index.html';
    expect(isTrustedSender(ours, ours)).toBe(true);
    expect(isTrustedSender('file:///tmp/evil.html', ours)).toBe(false);
    expect(isTrustedSender('https://example.com/', ours)).toBe(false);
    expect(isTrustedSender(undefined, ours)).toBe(false);
    expect(isTrustedSender('http://localhost:5173/', 'http://localhost:5173/')).toBe(true);
    expect(isTrustedSender('http://localhost:5174/', 'http://localhost:5173/')).toBe(false);
  });
});
