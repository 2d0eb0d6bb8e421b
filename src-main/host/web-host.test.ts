import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { EngineHost } from './engine-client.ts';
import { createStudioRouter } from './studio-router.ts';
import { startWebHost, type WebHost } from './web-host.ts';

let host: WebHost;
let rendererDir: string;
const engine = new EngineHost();

beforeAll(async () => {
  rendererDir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-ui-'));
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Strata</title>');
  host = await startWebHost({ router: createStudioRouter({ engine, runsDir: path.join(rendererDir, 'runs') }), rendererDir });
});
afterAll(async () => {
  await host.close();
  engine.dispose();
  fs.rmSync(rendererDir, { recursive: true, force: true });
});

/** Opens a socket; resolves with the close code if the server shuts it, else with the open socket. */
function open(query: string, origin?: string): Promise<{ ws: WebSocket; closed: Promise<number> }> {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws${query}`, origin ? { origin } : {});
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    ws.on('open', () => resolve({ ws, closed }));
    ws.on('error', reject);
  });
}

function call(ws: WebSocket, id: number, cmd: string, args: unknown): Promise<unknown> {
  return new Promise((resolve) => {
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as { id: number };
      if (msg.id === id) resolve(msg);
    });
    ws.send(JSON.stringify({ t: 'invoke', id, cmd, args }));
  });
}

describe('the web host', () => {
  it('binds loopback and prints a URL carrying its token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`);
    expect(host.token.length).toBeGreaterThanOrEqual(20);
  });

  it('serves the renderer with a strict CSP, and nothing outside it', async () => {
    const page = await fetch(`http://127.0.0.1:${host.port}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect((await fetch(`http://127.0.0.1:${host.port}/..%2f..%2fetc%2fpasswd`)).status).toBe(404);
  });

  it('refuses a socket without the token, or from another origin', async () => {
    const noToken = await open('?token=wrong');
    expect(await noToken.closed).toBe(4401);
    const evil = await open(`?token=${host.token}`, 'http://evil.example');
    expect(await evil.closed).toBe(4401);
  });

  it('answers contract commands, validating arguments at the edge', async () => {
    const { ws } = await open(`?token=${host.token}`, `http://127.0.0.1:${host.port}`);
    const templates = await call(ws, 1, 'templates.list', {}) as { ok: boolean; value: Array<{ id: string }> };
    expect(templates.ok).toBe(true);
    expect(templates.value.map((t) => t.id)).toEqual(expect.arrayContaining(['mlp', 'lenet']));
    const listing = await call(ws, 2, 'fs.list', { path: rendererDir }) as { value: { entries: Array<{ name: string; kind: string }> } };
    expect(listing.value.entries).toEqual([{ name: 'index.html', kind: 'file' }]);
    expect(await call(ws, 3, 'dataset.scan', { path: 42 })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    expect(await call(ws, 4, 'no.such', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_COMMAND' } });
    expect(await call(ws, 5, 'fs.list', { path: path.join(rendererDir, 'missing') })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    ws.close();
  });
});
