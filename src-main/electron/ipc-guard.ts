// Every ipcMain handler checks who is asking before it looks at what is asked: the message
// must come from our window's webContents, from its top frame, showing our renderer page.
// A page that got into a subframe, another window, or a navigated-away window is dropped.
import { isTrustedSender } from './window-security.ts';

/** The part of Electron's IpcMainEvent that the guard reads. */
export interface IpcSenderEvent {
  sender: unknown;
  senderFrame: { url: string; parent: unknown } | null;
}

/** Whom a guarded handler answers. */
export interface IpcTrust {
  /** The one webContents allowed to send (our window's). */
  webContents: unknown;
  /** The page that webContents must be showing. */
  rendererUrl: string;
  /** Told why a message was dropped, for the log. */
  onDrop?: (reason: string) => void;
}

/** Why a message from this sender must be dropped, or null when it may be handled. */
export function ipcSenderProblem(event: IpcSenderEvent, trust: IpcTrust): string | null {
  if (event.sender !== trust.webContents) return 'sent by another webContents';
  const frame = event.senderFrame;
  // The frame is null when it navigated or was destroyed after sending.
  if (!frame) return 'the sending frame is gone';
  if (frame.parent !== null) return 'sent by a subframe';
  if (!isTrustedSender(frame.url, trust.rendererUrl)) return `sent by a page that is not the renderer (${frame.url})`;
  return null;
}

/** Wraps an ipcMain listener so that only our renderer's top frame reaches it. */
export function guardIpc(handler: (payload: unknown) => void, trust: IpcTrust): (event: IpcSenderEvent, payload: unknown) => void {
  return (event, payload) => {
    const problem = ipcSenderProblem(event, trust);
    if (problem) trust.onDrop?.(problem);
    else handler(payload);
  };
}
