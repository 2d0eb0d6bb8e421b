import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { badMessage, type Router, type CommandMap, type StreamMap } from './router.ts';
import { RENDERER_CSP_HEADER } from '../electron/content-security-policy.ts';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.json': 'application/json', '.wasm': 'application/wasm', '.ico': 'image/x-icon', '.woff2': 'font/woff2',
};

// The renderer's one policy (the same as index.html's meta tag and Electron's header), with
// frame-ancestors, which only a header can carry.
const CSP = RENDERER_CSP_HEADER;

/**
 * Sent with every HTTP answer. No Access-Control-Allow-* at all: another site's script may
 * not read anything here. `no-referrer` keeps the token in the page's URL from leaving in a
 * Referer header; DENY / frame-ancestors keep the studio out of other sites' frames.
 */
const SECURITY_HEADERS = {
  'content-security-policy': CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
} as const;

/** Bigger than any honest message (a model spec inside a project); a bigger one closes that socket (1009) unread. */
export const MAX_MESSAGE_BYTES = 16 << 20;

/** WebSocket close codes of a refused connection (the window tells the person which). */
export const CLOSE_TOKEN_REFUSED = 4401;
export const CLOSE_ORIGIN_REFUSED = 4403;

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
 * The Host header names this server: a loopback name, an IP address, or the --host name.
 * Any other name is how a DNS-rebinding page reaches a loopback server (its own domain,
 * re-pointed at 127.0.0.1), so it is refused.
 */
function hostHeaderOk(header: string | undefined, boundHost: string, port: number): boolean {
  if (!header) return false;
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(header);
  if (!m || (m[2] !== undefined && Number(m[2]) !== port)) return false;
  const name = m[1]!.replace(/^\[|\]$/g, '').toLowerCase();
  return isLoopback(name) || net.isIP(name) !== 0 || name === boundHost.toLowerCase();
}

/** Browsers send Origin on cross-origin requests and on every WebSocket: it must be this very server. */
function originOk(origin: string | undefined, hostHeader: string | undefined): boolean {
  return origin === undefined || origin === `http://${hostHeader}`;
}

/**
 * `strata serve`: the studio in a browser. Serves the renderer build (GET/HEAD only) and
 * carries the contract over a WebSocket that requires the per-launch token printed in the
 * URL, a Host header naming this server and an Origin of this very server, so neither
 * another web page open in the same browser nor a DNS-rebinding page can drive it.
 */
export async function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  const host = opts.host ?? '127.0.0.1';
  const token = opts.token ?? crypto.randomBytes(18).toString('base64url');
  const root = path.resolve(opts.rendererDir);
  let port = 0;

  const server = http.createServer((req, res) => {
    const refuse = (status: number, why: string, extra: Record<string, string> = {}): void => {
      res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8', ...extra }).end(`${why}\n`);
    };
    if (!hostHeaderOk(req.headers.host, host, port)) return refuse(421, 'Host not served here: open the URL strata serve printed.');
    if (!originOk(req.headers.origin, req.headers.host)) return refuse(403, 'Cross-origin requests are refused.');
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(405, 'Only GET and HEAD are served.', { allow: 'GET, HEAD' });
    let rel: string;
    try {
      const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      rel = pathname === '/' ? 'index.html' : pathname.slice(1);
    } catch {
      return refuse(400, 'Malformed URL.');
    }
    const file = path.resolve(root, rel);
    if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) return refuse(404, 'not found');
    res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream' });
    if (req.method === 'HEAD') { res.end(); return; }
    fs.createReadStream(file).on('error', () => res.destroy()).pipe(res);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy()); // a client vanishing mid-handshake is its own business
    const url = new URL(req.url ?? '/', 'http://x');
    const tokenOk = url.pathname === '/ws' && safeEqual(url.searchParams.get('token') ?? '', token);
    const placeOk = hostHeaderOk(req.headers.host, host, port) && originOk(req.headers.origin, req.headers.host);
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('error', () => ws.terminate()); // a bad frame or an oversized message ends this client only
      // Accepted, then closed with a code and a reason, so the window can say what is wrong.
      if (!placeOk) return ws.close(CLOSE_ORIGIN_REFUSED, 'origin or host refused: open the URL strata serve printed');
      if (!tokenOk) return ws.close(CLOSE_TOKEN_REFUSED, 'token refused: open the URL strata serve printed');
      serveContract(ws, opts.router);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
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

/** One client's contract session: every message answered, a broken one with BAD_MESSAGE. */
function serveContract(ws: WebSocket, router: Router<CommandMap, StreamMap>): void {
  const connection = router.connect((msg) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
  });
  ws.on('message', (data, isBinary) => {
    let parsed: unknown;
    try {
      if (isBinary) throw new Error('a binary frame');
      parsed = JSON.parse(String(data));
    } catch (err) {
      const why = err instanceof RangeError ? 'nested too deeply' : err instanceof SyntaxError ? 'not JSON' : 'a binary frame, not JSON text';
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ t: 'result', id: -1, ok: false, error: badMessage(why) }));
      return;
    }
    connection.receive(parsed);
  });
  ws.on('close', () => connection.close());
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}
