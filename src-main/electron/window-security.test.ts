import { describe, expect, it, vi } from 'vitest';
import { isTrustedSender, secureWindowOptions, STRATA_CHANNEL } from './window-security.ts';

// Electron cannot run on these machines; its security settings are data, so assert them.
describe('the desktop window', () => {
  it('runs the page with no Node, an isolated sandboxed preload and web security on', () => {
    expect(secureWindowOptions('/app/preload.cjs').webPreferences).toEqual({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
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

  it('preload exposes only the contract pipe and drops anything that is not a contract message', async () => {
    const exposed: Record<string, unknown> = {};
    const sent: unknown[] = [];
    vi.doMock('electron', () => ({
      contextBridge: { exposeInMainWorld: (key: string, api: unknown) => { exposed[key] = api; } },
      ipcRenderer: { send: (channel: string, msg: unknown) => sent.push([channel, msg]), on: () => {} },
    }));
    await import('./preload.ts');
    expect(Object.keys(exposed)).toEqual(['strataBridge']);
    const bridge = exposed.strataBridge as { send(m: unknown): void; onMessage(l: unknown): void };
    expect(Object.keys(bridge).sort()).toEqual(['onMessage', 'send']);
    bridge.send({ t: 'invoke', id: 1, cmd: 'engine.doctor', args: {} });
    bridge.send({ t: 'exec', cmd: 'rm -rf /' });
    bridge.send('raw string');
    expect(sent).toEqual([[STRATA_CHANNEL, { t: 'invoke', id: 1, cmd: 'engine.doctor', args: {} }]]);
    vi.doUnmock('electron');
  });
});
