import { describe, expect, it, vi } from 'vitest';
import { STRATA_CHANNEL } from './window-security.ts';

// The preload runs only inside Electron; here a fake 'electron' module records what it
// exposes to the page and what it sends, so its surface can be asserted as data.
const electron = vi.hoisted(() => {
  const exposed: Record<string, unknown> = {};
  const sent: Array<[string, unknown]> = [];
  const listeners: Array<[string, (event: unknown, ...args: unknown[]) => void]> = [];
  const ipcRenderer = {
    send: (channel: string, msg: unknown) => { sent.push([channel, msg]); },
    on: (channel: string, listener: (event: unknown, ...args: unknown[]) => void) => { listeners.push([channel, listener]); },
    invoke: () => Promise.resolve(),
    sendSync: () => undefined,
  };
  const contextBridge = { exposeInMainWorld: (key: string, api: unknown) => { exposed[key] = api; } };
  return { exposed, sent, listeners, ipcRenderer, contextBridge };
});
vi.mock('electron', () => ({ contextBridge: electron.contextBridge, ipcRenderer: electron.ipcRenderer }));
await import('./preload.ts');

interface Bridge { send(msg: unknown): void; onMessage(listener: (...args: unknown[]) => void): void }
const bridge = electron.exposed.strataBridge as Bridge;

/** Every value reachable from the exposed API, to prove ipcRenderer is not among them. */
function reachable(value: unknown, seen = new Set<unknown>()): Set<unknown> {
  if ((typeof value === 'object' || typeof value === 'function') && value !== null && !seen.has(value)) {
    seen.add(value);
    for (const key of Reflect.ownKeys(value)) reachable((value as Record<PropertyKey, unknown>)[key], seen);
  }
  return seen;
}

describe('the preload', () => {
  it('exposes one key, strataBridge, with exactly send and onMessage', () => {
    expect(Object.keys(electron.exposed)).toEqual(['strataBridge']);
    expect(Object.keys(bridge).sort()).toEqual(['onMessage', 'send']);
  });

  it('never exposes ipcRenderer or any of its methods', () => {
    const exposed = reachable(electron.exposed);
    const forbidden = [electron.ipcRenderer, ...Object.values(electron.ipcRenderer)];
    expect(forbidden.filter((value) => exposed.has(value))).toEqual([]);
  });

  it('sends contract messages on the contract channel and drops anything else', () => {
    electron.sent.length = 0;
    bridge.send({ t: 'invoke', id: 1, cmd: 'engine.doctor', args: {} });
    bridge.send({ t: 'exec', cmd: 'rm -rf /' });
    bridge.send('raw string');
    bridge.send({ t: 'invoke', id: 'not a number', cmd: 'engine.doctor', args: {} });
    expect(electron.sent).toEqual([[STRATA_CHANNEL, { t: 'invoke', id: 1, cmd: 'engine.doctor', args: {} }]]);
  });

  it('listens on the contract channel only and hands the page the payload, never the IPC event', () => {
    electron.listeners.length = 0;
    const received: unknown[][] = [];
    bridge.onMessage((...args) => received.push(args));
    expect(electron.listeners.map(([channel]) => channel)).toEqual([STRATA_CHANNEL]);
    const event = { sender: electron.ipcRenderer, senderId: 0, ports: [] };
    electron.listeners[0]![1](event, { t: 'event', id: 1, event: { epoch: 1 } });
    expect(received).toEqual([[{ t: 'event', id: 1, event: { epoch: 1 } }]]);
  });
});
