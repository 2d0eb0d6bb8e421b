import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer } from 'ws';
import type { Router, CommandMap, StreamMap } from './router.ts';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.json': 'application/json', '.wasm': 'application/wasm', '.ico': 'image/x-icon', '.woff2': 'font/woff2',
};

const CSP = "default-src 'self'; script-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

export interface WebHostOptions {
  router: Router<CommandMap, StreamMap>;
  rendererDir: string;
  port?: number;
  host?: string;
  /** Fixed token for tests; a random one per launch otherwise. */
  token?: string;
}

export interface WebHost {
  url: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);
export const isLoopback = (host: string): boolean => LOOPBACK.has(host) || host.startsWith('127.');

/**
 * `strata serve`: the studio in a browser. Serves the renderer build and carries the
 * contract over a WebSocket that requires the per-launch token printed in the URL and an
 * Origin of this very host, so another web page open in the same browser cannot drive it.
 */
export async function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  const host = opts.host ?? '127.0.0.1';
  const token = opts.token ?? crypto.randomBytes(18).toString('base64url');
  const root = path.resolve(opts.rendererDir);

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const rel = decodeURIComponent(url.pathname) === '/' ? 'index.html' : decodeURIComponent(url.pathname).slice(1);
    const file = path.resolve(root, rel);
    if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-cache',
    });
    fs.createReadStream(file).pipe(res);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 << 20 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const address = server.address() as AddressInfo;
    const origin = req.headers.origin;
    const allowedOrigins = new Set([`http://${host}:${address.port}`, `http://localhost:${address.port}`, `http://127.0.0.1:${address.port}`, `http://${req.headers.host}`]);
    const tokenOk = url.pathname === '/ws' && safeEqual(url.searchParams.get('token') ?? '', token);
    const originOk = origin === undefined || allowedOrigins.has(origin);
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (!tokenOk || !originOk) {
        ws.close(4401, tokenOk ? 'origin refused' : 'token refused');
        return;
      }
      const connection = opts.router.connect((msg) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
      });
      ws.on('message', (data) => {
        let parsed: unknown;
        try { parsed = JSON.parse(String(data)); } catch { return; }
        connection.receive(parsed);
      });
      ws.on('close', () => connection.close());
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/?token=${token}`,
    token,
    port,
    close: () => new Promise((resolve) => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.close(() => resolve());
    }),
  };
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}
