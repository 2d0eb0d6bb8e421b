// The preload exposes exactly the contract's message pipe — no raw ipcRenderer, no other
// channel — and drops anything that is not a contract message before it reaches main.
import { contextBridge, ipcRenderer } from 'electron';
import { ClientMessageSchema, type ClientMessage } from '../../src-shared/contract/wire.ts';
import { STRATA_CHANNEL as CHANNEL } from './window-security.ts';

contextBridge.exposeInMainWorld('strataBridge', {
  send(msg: ClientMessage): void {
    const parsed = ClientMessageSchema.safeParse(msg);
    if (parsed.success) ipcRenderer.send(CHANNEL, parsed.data);
  },
  onMessage(listener: (msg: unknown) => void): void {
    ipcRenderer.on(CHANNEL, (_event, msg: unknown) => listener(msg));
  },
});
