import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { z } from 'zod';
import { commands } from '../../src-shared/contract/commands.ts';
import { engineCommands, engineStreams } from '../../src-shared/contract/engine-protocol.ts';
import { streams } from '../../src-shared/contract/streams.ts';
import { SweepSpecSchema } from '../../src-shared/contract/sweep.ts';
import { ModelSpecSchema } from '../../src-shared/spec/model-spec.ts';
import { TEMPLATES } from '../../src-shared/spec/templates.ts';
import { ClientMessageSchema, type ClientMessage } from '../../src-shared/contract/wire.ts';
import { childProcessLauncher, EngineHost } from './engine-client.ts';
import { createWebStudioRouter, PathPolicy } from './path-policy.ts';
import { exampleOf } from './schema-fields.ts';
import { startWebHost, type WebHost } from './web-host.ts';

/**
 * Every command and stream of the public contract, and of the engine's protocol, fed
 * malformed payloads: a valid-shaped example (built from the zod schema) with one or two
 * fields broken — a wrong type, a missing field, extra nesting, a huge value, an own
 * `__proto__` key — plus random JSON. Each must come back as INVALID_PAYLOAD naming the
 * field zod names locally, and the host (or engine process) must answer a good request after.
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Pointer = Array<string | number>;

const KNOWN = new Map<z.ZodType, unknown>([
  [ModelSpecSchema, TEMPLATES.find((t) => t.id === 'mlp')!.build({})],
  [SweepSpecSchema, { mode: 'grid', params: { learningRate: [0.01] }, seed: 1, metric: 'val_loss' }],
]);
const RUNS = 12;

function pointers(value: Json, at: Pointer = []): Pointer[] {
  if (value === null || typeof value !== 'object') return [at];
  const children = Array.isArray(value) ? value.map((v, i) => pointers(v, [...at, i])) : Object.entries(value).map(([k, v]) => pointers(v, [...at, k]));
  return [at, ...children.flat()];
}

const jsonKind = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** Replaces the value at `at` (the root when empty); `undefined` deletes the key. */
function setAt(root: Json, at: Pointer, f: (old: Json) => Json | undefined): Json {
  if (at.length === 0) return f(root) ?? null;
  const copy = structuredClone(root);
  const last = at[at.length - 1]!;
  let parent: Json = copy;
  for (const key of at.slice(0, -1)) {
    // An earlier mutation changed the shape under this pointer: nothing left to break here.
    if (parent === null || typeof parent !== 'object') return copy;
    parent = (parent as Record<string | number, Json>)[key] ?? null;
  }
  if (parent === null || typeof parent !== 'object' || (last === '__proto__' && Array.isArray(parent))) return copy;
  const target = parent as Record<string | number, Json>;
  const next = f(target[last] ?? null);
  if (next === undefined) {
    if (Array.isArray(target)) target.splice(Number(last), 1);
    else delete target[last];
  } else if (last === '__proto__') {
    Object.defineProperty(target, last, { value: next, enumerable: true, writable: true, configurable: true });
  } else {
    target[last] = next;
  }
  return copy;
}

const wrongValue = (old: Json): fc.Arbitrary<Json> => fc.oneof(
  fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string({ maxLength: 20 }), fc.boolean(), fc.constant(null),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
).map((v) => v as Json).filter((v) => jsonKind(v) !== jsonKind(old));

/** One way to break a value at a pointer. */
function mutation(example: Json): fc.Arbitrary<(v: Json) => Json> {
  return fc.constantFrom(...pointers(example)).chain((at) => {
    const old = at.reduce<Json>((v, k) => (v as Record<string | number, Json>)[k]!, example);
    return fc.oneof(
      wrongValue(old).map((w) => (v: Json) => setAt(v, at, () => w)),
      fc.constant((v: Json) => setAt(v, at, () => undefined)),
      fc.constant((v: Json) => setAt(v, at, (o) => [o])),
      fc.constant((v: Json) => setAt(v, at, (o) => ({ value: o }))),
      fc.constant((v: Json) => setAt(v, at, () => 'x'.repeat(300_000))),
      fc.constant((v: Json) => setAt(v, at, () => Array.from({ length: 5000 }, () => 1))),
      fc.constant((v: Json) => setAt(v, [...at, '__proto__'], () => ({ polluted: true, runsDir: '/' }))),
    );
  });
}

/** Malformed arguments for one schema: 1–2 mutations of its example, or any JSON at all; never a valid payload. */
function malformed(schema: z.ZodType): fc.Arbitrary<{ args: Json; issue: string }> {
  const example = exampleOf(schema, KNOWN) as Json;
  const broken = fc.oneof(
    { weight: 4, arbitrary: fc.array(mutation(example), { minLength: 1, maxLength: 2 }).map((ms) => ms.reduce((v, m) => m(v), example)) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => v as Json) },
  );
  return broken
    .map((args) => ({ args, parsed: schema.safeParse(JSON.parse(JSON.stringify(args))) }))
    .filter((c) => !c.parsed.success)
    .map(({ args, parsed }) => ({ args, issue: `${parsed.error!.issues[0]!.path.map(String).join('.') || '(root)'}: ` }));
}

/** Sends one message and resolves with the answer of the same id. */
type Exchange = (msg: Record<string, unknown>) => Promise<Record<string, unknown>>;

async function fuzzContract(exchange: Exchange, contract: { commands: Record<string, { args: z.ZodType }>; streams: Record<string, { args: z.ZodType }> }): Promise<number> {
  let id = 100;
  let sent = 0;
  const cases = [
    ...Object.entries(contract.commands).map(([name, c]) => ({ name, schema: c.args, msg: (args: Json, i: number) => ({ t: 'invoke', id: i, cmd: name, args }) })),
    ...Object.entries(contract.streams).map(([name, s]) => ({ name, schema: s.args, msg: (args: Json, i: number) => ({ t: 'subscribe', id: i, stream: name, args }) })),
  ];
  for (const { name, schema, msg } of cases) {
    expect(schema.safeParse(exampleOf(schema, KNOWN)).error?.issues, `the example of ${name}`).toBeUndefined();
    await fc.assert(fc.asyncProperty(malformed(schema), async ({ args, issue }) => {
      const answer = await exchange(msg(args, ++id));
      sent += 1;
      expect(answer, `${name} with ${JSON.stringify(args).slice(0, 300)}`).toMatchObject({
        ...(answer.t === 'end' ? { t: 'end' } : { t: 'result', ok: false }),
        error: { code: 'INVALID_PAYLOAD', message: expect.stringContaining(issue) as unknown },
      });
    }), { numRuns: RUNS, seed: 20_261_205 + sent });
  }
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  return sent;
}

describe('the web host under malformed payloads', () => {
  let host: WebHost;
  let work: string;
  let ws: WebSocket;
  const engine = new EngineHost();
  const pending = new Map<number, (msg: Record<string, unknown>) => void>();
  const exchange: Exchange = (msg) => new Promise((resolve) => {
    pending.set(msg.id as number, resolve);
    ws.send(JSON.stringify(msg));
  });

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-fuzz-'));
    process.env.STRATA_CONFIG_DIR = path.join(work, 'config');
    const ui = path.join(work, 'ui');
    fs.mkdirSync(ui);
    fs.writeFileSync(path.join(ui, 'index.html'), '<!doctype html>');
    host = await startWebHost({ router: createWebStudioRouter({ engine, runsDir: path.join(work, 'runs') }, new PathPolicy([work])), rendererDir: ui });
    ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`);
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as Record<string, unknown>;
      pending.get(msg.id as number)?.(msg);
    });
    await new Promise((resolve) => ws.once('open', resolve));
  });
  afterAll(async () => {
    ws.close();
    await host.close();
    engine.dispose();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('answers every command and stream with INVALID_PAYLOAD naming the field, and still serves', async () => {
    const sent = await fuzzContract(exchange, { commands, streams });
    expect(sent).toBeGreaterThanOrEqual((Object.keys(commands).length + 1) * RUNS);
    expect(await exchange({ t: 'invoke', id: 1, cmd: 'templates.list', args: {} })).toMatchObject({ ok: true });
    expect(engine.pid).toBeNull(); // nothing malformed got as far as the engine
  }, 120_000);

  it('answers any JSON that is not a contract message with BAD_MESSAGE', async () => {
    const notMessages = fc.jsonValue({ maxDepth: 3 }).filter((v) => !ClientMessageSchema.safeParse(v).success);
    await fc.assert(fc.asyncProperty(notMessages, async (value) => {
      const id = value !== null && typeof value === 'object' && 'id' in value && Number.isSafeInteger(value.id) ? Number(value.id) : -1;
      const answer = new Promise<Record<string, unknown>>((resolve) => pending.set(id, resolve));
      ws.send(JSON.stringify(value));
      expect(await answer).toMatchObject({ t: 'result', id, ok: false, error: { code: 'BAD_MESSAGE' } });
    }), { numRuns: 60, seed: 7 });
    expect(await exchange({ t: 'invoke', id: 2, cmd: 'templates.list', args: {} })).toMatchObject({ ok: true });
  });
});

describe('the engine process under malformed payloads', () => {
  it('answers every engine command and stream with INVALID_PAYLOAD and stays alive', async () => {
    const engine = childProcessLauncher();
    let exited: string | null = null;
    engine.transport.onClose((reason) => { exited = reason; });
    const pending = new Map<number, (msg: Record<string, unknown>) => void>();
    engine.transport.onMessage((raw) => {
      const msg = raw as Record<string, unknown>;
      pending.get(msg.id as number)?.(msg);
    });
    const exchange: Exchange = (msg) => new Promise((resolve) => {
      pending.set(typeof msg.id === 'number' && Number.isSafeInteger(msg.id) ? msg.id : -1, resolve);
      // Deliberately not a ClientMessage: the point is to send what the protocol does not allow.
      engine.transport.send(msg as unknown as ClientMessage);
    });
    const alive = { t: 'invoke', cmd: 'run.stop', args: { runId: 'no-such-run' } };
    try {
      expect(await exchange({ ...alive, id: 1 })).toMatchObject({ ok: true, value: { stopping: false } });
      await fuzzContract(exchange, { commands: engineCommands, streams: engineStreams });
      for (const junk of [{ t: 'invoke' }, { t: 'invoke', id: 1.5, cmd: 'run.stop' }, { t: 'invoke', id: 'x', cmd: 'run.stop', args: {} }, { t: 'launch', id: null }]) {
        expect(await exchange(junk)).toMatchObject({ id: -1, ok: false, error: { code: 'BAD_MESSAGE' } });
      }
      expect(await exchange({ ...alive, id: 2 })).toMatchObject({ ok: true, value: { stopping: false } });
      expect(exited).toBeNull();
    } finally {
      engine.kill();
    }
  }, 120_000);
});
