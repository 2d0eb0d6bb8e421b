import type { commands } from '../../src-shared/contract/commands.ts';
import { ContractClient, ContractClientError, type Transport } from '../../src-shared/contract/contract-client.ts';
import type { streams } from '../../src-shared/contract/streams.ts';
import type { ClientMessage } from '../../src-shared/contract/wire.ts';

/** The renderer's typed client over the public contract. */
export type StrataClient = ContractClient<typeof commands, typeof streams>;
export { ContractClientError as StrataClientError };
export type { Transport };

/** What the preload exposes on `window.strataBridge` (contract messages only). */
export interface StrataBridge {
  send(msg: ClientMessage): void;
  onMessage(listener: (msg: unknown) => void): void;
}

function webSocketTransport(url: string): Promise<Transport> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const messageListeners: Array<(m: unknown) => void> = [];
    const closeListeners: Array<(r: string) => void> = [];
    ws.addEventListener('message', (e) => {
      let data: unknown;
      try { data = JSON.parse(String(e.data)); } catch { return; }
      for (const l of messageListeners) l(data);
    });
    ws.addEventListener('open', () => resolve({
      send: (msg) => ws.send(JSON.stringify(msg)),
      onMessage: (l) => { messageListeners.push(l); },
      onClose: (l) => { closeListeners.push(l); },
    }));
    ws.addEventListener('close', (e) => {
      const reason = e.code === 4401 ? 'the access token was refused (open the URL that `strata serve` printed)' : `connection closed (${e.code})`;
      for (const l of closeListeners) l(reason);
      reject(new Error(reason));
    });
  });
}

/** Connects over the preload bridge in Electron, else over the web host's WebSocket. */
export async function connectStrata(): Promise<StrataClient> {
  const bridge = (window as unknown as { strataBridge?: StrataBridge }).strataBridge;
  if (bridge) {
    return new ContractClient({ send: (m) => bridge.send(m), onMessage: (l) => bridge.onMessage(l), onClose: () => {} });
  }
  const token = new URLSearchParams(window.location.search).get('token') ?? '';
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return new ContractClient(await webSocketTransport(`${scheme}://${window.location.host}/ws?token=${encodeURIComponent(token)}`));
}
