import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Router } from './router.ts';
import { StrataError } from '../strata-error.ts';
import { ContractClient, ContractClientError, type Transport } from '../../src-shared/contract/contract-client.ts';
import type { ServerMessage } from '../../src-shared/contract/wire.ts';

const commands = {
  'math.double': { args: z.object({ n: z.number() }), result: z.object({ n: z.number() }) },
  'math.fail': { args: z.object({}), result: z.object({}) },
} as const;
const streams = { 'count.up': { args: z.object({ to: z.number().int() }), event: z.object({ i: z.number() }) } } as const;

/** A client wired to a router through an in-memory pipe that round-trips JSON like the real transports. */
function pair() {
  const router = new Router(commands, streams)
    .command('math.double', async ({ n }) => ({ n: n * 2 }))
    .command('math.fail', async () => { throw new StrataError('NOPE', 'it failed on purpose'); })
    .stream('count.up', async ({ to }, emit, signal) => {
      for (let i = 1; i <= to && !signal.aborted; i++) {
        emit({ i });
        await new Promise((r) => setTimeout(r, 1));
      }
    });
  let toClient: (m: unknown) => void = () => {};
  const closeListeners: Array<(r: string) => void> = [];
  const connection = router.connect((msg: ServerMessage) => queueMicrotask(() => toClient(JSON.parse(JSON.stringify(msg)))));
  const transport: Transport = {
    send: (msg) => queueMicrotask(() => connection.receive(JSON.parse(JSON.stringify(msg)))),
    onMessage: (l) => { toClient = l; },
    onClose: (l) => { closeListeners.push(l); },
  };
  return { client: new ContractClient<typeof commands, typeof streams>(transport), close: (r: string) => closeListeners.forEach((l) => l(r)) };
}

describe('contract client ⇄ router', () => {
  it('round-trips results and errors with their codes', async () => {
    const { client } = pair();
    expect(await client.invoke('math.double', { n: 21 })).toEqual({ n: 42 });
    await expect(client.invoke('math.fail', {})).rejects.toMatchObject({ code: 'NOPE', message: 'it failed on purpose' });
    await expect(client.invoke('math.double', { n: 'x' } as unknown as { n: number })).rejects.toMatchObject({ code: 'INVALID_PAYLOAD' });
  });

  it('streams events in order and then ends', async () => {
    const { client } = pair();
    const events: number[] = [];
    await new Promise<void>((resolve) => client.subscribe('count.up', { to: 5 }, { onEvent: (e) => events.push(e.i), onEnd: () => resolve() }));
    expect(events).toEqual([1, 2, 3, 4, 5]);
  });

  it('rejects what is pending when the connection drops', async () => {
    const { client, close } = pair();
    const pending = client.invoke('math.double', { n: 1 });
    close('engine died');
    const err = await pending.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContractClientError);
    expect(err).toMatchObject({ code: 'DISCONNECTED' });
    expect(client.closed).toBe(true);
  });
});
