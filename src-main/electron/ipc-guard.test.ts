import { describe, expect, it } from 'vitest';
import { guardIpc, type IpcSenderEvent } from './ipc-guard.ts';

const RENDERER = 'file:///opt/strata/out/renderer/index.html';

describe('guarded IPC handlers', () => {
  it('pass on messages from our window\'s top frame on the renderer page and drop all others, saying why', () => {
    const ours = { id: 1 };
    const handled: unknown[] = [];
    const dropped: string[] = [];
    const listener = guardIpc((payload) => handled.push(payload), { webContents: ours, rendererUrl: RENDERER, onDrop: (why) => dropped.push(why) });
    const topFrame = { url: RENDERER, parent: null };
    const send = (event: IpcSenderEvent, payload: string) => listener(event, payload);
    send({ sender: ours, senderFrame: topFrame }, 'ok');
    send({ sender: { id: 2 }, senderFrame: topFrame }, 'other window');
    send({ sender: ours, senderFrame: { url: RENDERER, parent: topFrame } }, 'subframe');
    send({ sender: ours, senderFrame: { url: 'https://evil.example/', parent: null } }, 'navigated away');
    send({ sender: ours, senderFrame: null }, 'frame gone');
    expect({ handled, dropped }).toEqual({
      handled: ['ok'],
      dropped: [
        'sent by another webContents',
        'sent by a subframe',
        'sent by a page that is not the renderer (https://evil.example/)',
        'the sending frame is gone',
      ],
    });
  });
});
