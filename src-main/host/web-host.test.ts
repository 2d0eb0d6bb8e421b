import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { exposureWarning } from '../cli/commands/serve-command.ts';
import { EngineHost } from './engine-client.ts';
import { createWebStudioRouter, PathPolicy } from './path-policy.ts';
import { MAX_MESSAGE_BYTES, startWebHost, type WebHost } from './web-host.ts';

let host: WebHost;
let work: string;
let files: string;
const engine = new EngineHost();

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-web-'));
  const rendererDir = path.join(work, 'ui');
  files = path.join(work, 'files');
  fs.mkdirSync(rendererDir);
  fs.mkdirSync(files);
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Strata</title>');
  fs.writeFileSync(path.join(files, 'notes.csv'), 'a,b\n');
  const policy = new PathPolicy([files]);
  host = await startWebHost({ router: createWebStudioRouter({ engine, runsDir: path.join(files, 'runs') }, policy), rendererDir });
});
afterAll(async () => {
  await host.close();
  engine.dispose();
  fs.rmSync(work, { recursive: true, force: true });
});

/** One raw HTTP request, so the Host and Origin headers are exactly what a test says. */
function request(method: string, urlPath: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: host.port, method, path: urlPath, headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => { body += c.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

interface Socket { ws: WebSocket; closed: Promise<{ code: number; reason: string }> }

/** Opens a socket; `closed` resolves with the code and reason when either side shuts it. */
function open(query: string, headers: Record<string, string> = {}, port = host.port): Promise<Socket> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws${query}`, { headers });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  return new Promise((resolve, reject) => {
    ws.on('open', () => resolve({ ws, closed }));
    ws.on('error', reject);
  });
}

/** Sends a raw frame and resolves with the first answer carrying `id`. */
function answer(ws: WebSocket, id: number, frame: string | Buffer): Promise<unknown> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData): void => {
      const msg = JSON.parse(String(data)) as { id: number };
      if (msg.id === id) { ws.off('message', onMessage); resolve(msg); }
    };
    ws.on('message', onMessage);
    ws.send(frame, { binary: Buffer.isBuffer(frame) });
  });
}
const call = (ws: WebSocket, id: number, cmd: string, args: unknown): Promise<unknown> => answer(ws, id, JSON.stringify({ t: 'invoke', id, cmd, args }));

describe('the web host over HTTP', () => {
  it('binds loopback and prints a URL carrying its token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`);
    expect(host.token.length).toBeGreaterThanOrEqual(20);
  });

  it('serves the renderer with security headers and no CORS grant, and nothing outside it', async () => {
    const page = await request('GET', `/?token=${host.token}`);
    expect([page.status, page.body]).toEqual([200, '<!doctype html><title>Strata</title>']);
    expect(page.headers).toMatchObject({
      'content-security-policy': expect.stringContaining("frame-ancestors 'none'") as unknown,
      'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'x-frame-options': 'DENY',
    });
    expect(Object.keys(page.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    expect((await request('HEAD', '/')).status).toBe(200);
    expect((await request('GET', '/..%2f..%2fetc%2fpasswd')).status).toBe(404);
    expect((await request('GET', '/%E0%A4%A')).status).toBe(400);
  });

  it('answers only GET and HEAD, only to its own Host, and refuses foreign origins', async () => {
    const results = await Promise.all([
      request('POST', '/'), request('OPTIONS', '/', { origin: 'http://evil.example', 'access-control-request-method': 'GET' }), request('DELETE', '/'),
      request('GET', '/', { host: `evil.example:${host.port}` }), request('GET', '/', { host: `localhost:${host.port + 1}` }),
      request('GET', '/', { origin: 'http://evil.example' }), request('GET', '/', { origin: `http://localhost:${host.port}`, host: `localhost:${host.port}` }),
    ]);
    expect(results.map((r) => r.status)).toEqual([405, 403, 405, 421, 421, 403, 200]);
    expect(results[0]!.headers.allow).toBe('GET, HEAD');
  });
});

describe('the web host socket', () => {
  it('refuses a missing or wrong token, a foreign Origin and a forged Host, saying which', async () => {
    const attempts = [
      await open(''), await open('?token=wrong'), await open(`?token=${host.token}x`),
      await open(`?token=${host.token}`, { origin: 'http://evil.example' }),
      await open(`?token=${host.token}`, { host: `rebound.evil.example:${host.port}` }),
    ];
    const closes = await Promise.all(attempts.map((a) => a.closed));
    expect(closes.map((c) => c.code)).toEqual([4401, 4401, 4401, 4403, 4403]);
    expect(closes[0]!.reason).toMatch(/^token refused/);
    expect(closes[3]!.reason).toMatch(/^origin or host refused/);
  });

  it('answers contract commands, validating arguments and paths at the edge', async () => {
    const { ws } = await open(`?token=${host.token}`, { origin: `http://127.0.0.1:${host.port}` });
    const templates = await call(ws, 1, 'templates.list', {}) as { ok: boolean; value: Array<{ id: string }> };
    expect(templates.value.map((t) => t.id)).toEqual(expect.arrayContaining(['mlp', 'lenet']));
    expect(await call(ws, 2, 'fs.list', {})).toMatchObject({ ok: true, value: { parent: null, entries: [{ name: 'notes.csv', kind: 'file' }] } });
    expect(await call(ws, 3, 'dataset.scan', { path: 42 })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD', message: expect.stringContaining('path:') as unknown } });
    expect(await call(ws, 4, 'no.such', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_COMMAND' } });
    expect(await call(ws, 5, 'fs.list', { path: path.join(files, 'missing') })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await call(ws, 6, 'fs.list', { path: os.homedir() })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_PATH', message: expect.stringContaining('--root') as unknown } });
    expect(await call(ws, 7, 'model.import', { path: path.join(os.homedir(), '.ssh', 'id_rsa') })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_PATH' } });
    ws.close();
  });

  it('answers a malformed message with BAD_MESSAGE and keeps serving', async () => {
    const { ws } = await open(`?token=${host.token}`);
    const bad = (why: RegExp, id = -1): unknown => ({ t: 'result', id, ok: false, error: { code: 'BAD_MESSAGE', message: expect.stringMatching(why) as unknown } });
    expect(await answer(ws, -1, 'not json {')).toEqual(bad(/not JSON/));
    expect(await answer(ws, -1, Buffer.from([0xde, 0xad]))).toEqual(bad(/binary frame/));
    expect(await answer(ws, 7, JSON.stringify({ t: 'explode', id: 7 }))).toEqual(bad(/^Not a Strata message \(t: /, 7));
    expect(await answer(ws, -1, JSON.stringify({ t: 'invoke', id: 'one', cmd: 'templates.list', args: {} }))).toEqual(bad(/id: /));
    expect(await answer(ws, -1, '['.repeat(200_000) + ']'.repeat(200_000))).toMatchObject({ ok: false, error: { code: 'BAD_MESSAGE' } });
    expect(await answer(ws, 9, JSON.stringify({ t: 'subscribe', id: 9, stream: 'train.events', args: { runId: 5 } })))
      .toMatchObject({ t: 'end', id: 9, error: { code: 'INVALID_PAYLOAD' } });
    expect(await call(ws, 10, 'templates.list', {})).toMatchObject({ ok: true });
    ws.close();
  });

  it('drops only the client that sends an oversized message or a broken frame', async () => {
    const bystander = await open(`?token=${host.token}`);
    const big = await open(`?token=${host.token}`);
    big.ws.send('x'.repeat(MAX_MESSAGE_BYTES + 1));
    expect((await big.closed).code).toBe(1009);

    // A socket that upgrades properly, then sends bytes that are no WebSocket frame.
    const raw = net.connect(host.port, '127.0.0.1');
    await new Promise((resolve) => raw.once('connect', resolve));
    raw.write(`GET /ws?token=${host.token} HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n`
      + 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n');
    await new Promise((resolve) => raw.once('data', resolve));
    raw.write(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x00, 0x01]));
    await new Promise((resolve) => raw.once('close', resolve));

    expect(await call(bystander.ws, 1, 'templates.list', {})).toMatchObject({ ok: true });
    bystander.ws.close();
  });
});

describe('strata serve', () => {
  it('warns when bound beyond loopback, lists the allowed folders, and still wants the token', async () => {
    const bin = path.resolve(import.meta.dirname, '../../bin/strata.mjs');
    const child = spawn(process.execPath, [bin, 'serve', '--host', '0.0.0.0', '--port', '0', '--runs', path.join(files, 'runs'), '--root', files], {
      env: { ...process.env, STRATA_CONFIG_DIR: path.join(work, 'config') }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let stdout = '';
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
      const port = await new Promise<number>((resolve, reject) => {
        child.stdout.on('data', (c: Buffer) => {
          stdout += c.toString();
          const m = /Strata studio: http:\/\/0\.0\.0\.0:(\d+)\/\?token=\S+/.exec(stdout);
          if (m) resolve(Number(m[1]));
        });
        child.on('exit', (code) => reject(new Error(`strata serve exited (${code}): ${stdout}${stderr}`)));
      });
      const realFiles = fs.realpathSync(files);
      expect(stderr).toContain(exposureWarning('0.0.0.0', [realFiles, path.join(realFiles, 'runs'), path.join(realFiles, 'imports')]));
      expect(stderr).toMatch(/Anyone who can reach that address and has the URL[\s\S]*SSH tunnel/);
      const refused = await open('', {}, port);
      expect((await refused.closed).code).toBe(4401);
    } finally {
      child.kill('SIGTERM');
    }
  }, 120_000);
});
