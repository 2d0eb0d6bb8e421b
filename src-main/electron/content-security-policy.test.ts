import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { APP_ROOT } from '../app-root.ts';
import { parseCsp, RENDERER_CSP, RENDERER_CSP_DIRECTIVES, RENDERER_CSP_HEADER } from './content-security-policy.ts';

const CHROMIUM = '/usr/bin/chromium';

function metaCsp(html: string): string | undefined {
  return /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i.exec(html)?.[1];
}

describe('the renderer Content Security Policy', () => {
  it('is the one index.html carries, so the web host and Electron pages get the same policy', () => {
    const html = fs.readFileSync(path.join(APP_ROOT, 'src-renderer/index.html'), 'utf8');
    expect(metaCsp(html)).toBe(RENDERER_CSP);
  });

  it('runs no code but the bundle and lets nothing embed, post or rebase the page', () => {
    const meta = parseCsp(RENDERER_CSP);
    expect(RENDERER_CSP).not.toMatch(/unsafe-eval|wasm-unsafe-eval|unsafe-hashes|strict-dynamic/);
    expect({
      default: meta['default-src'], script: meta['script-src'], connect: meta['connect-src'],
      object: meta['object-src'], base: meta['base-uri'], form: meta['form-action'], frame: meta['frame-src'],
    }).toEqual({
      default: ["'none'"], script: ["'self'"], connect: ["'self'"],
      object: ["'none'"], base: ["'none'"], form: ["'none'"], frame: ["'none'"],
    });
  });

  it('names frame-ancestors only in the header, where browsers honour it', () => {
    expect(parseCsp(RENDERER_CSP)['frame-ancestors']).toBeUndefined();
    expect(parseCsp(RENDERER_CSP_HEADER)).toEqual({ ...RENDERER_CSP_DIRECTIVES, 'frame-ancestors': ["'none'"] });
  });
});

// The policy is only strict enough if it still lets the studio work: the web host's renderer
// talks over a WebSocket to its own host, which connect-src 'self' must allow (CSP3). The
// "other" socket is the same live server under another origin (localhost vs 127.0.0.1), so
// only the policy can refuse it.
describe.skipIf(!fs.existsSync(CHROMIUM))('the policy in Chromium', () => {
  it('allows a WebSocket to the page\'s own host and blocks eval, inline script and another origin\'s socket', async () => {
    const page = `<!doctype html><meta http-equiv="Content-Security-Policy" content="${RENDERER_CSP}"><script>window.inlineRan = true</script><script src="/probe.js"></script>`;
    const probe = `
      window.report = { inline: window.inlineRan === true, eval: (() => { try { return eval('1') === 1; } catch { return false; } })() };
      const open = (url) => new Promise((resolve) => { try { const ws = new WebSocket(url); ws.onopen = () => resolve(true); ws.onerror = () => resolve(false); } catch { resolve(false); } });
      Promise.all([open('ws://' + location.host + '/ws'), open('ws://localhost:' + location.port + '/ws')]).then(([own, other]) => { Object.assign(window.report, { own, other }); document.title = 'done'; });`;
    const server = http.createServer((req, res) => {
      const isProbe = req.url === '/probe.js';
      res.writeHead(200, { 'content-type': isProbe ? 'text/javascript' : 'text/html' }).end(isProbe ? probe : page);
    });
    const sockets = new WebSocketServer({ server });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const browser = await chromium.launch({ executablePath: CHROMIUM });
    try {
      const tab = await browser.newPage();
      await tab.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      await tab.waitForFunction(() => document.title === 'done');
      expect(await tab.evaluate(() => (window as unknown as { report: unknown }).report)).toEqual({ inline: false, eval: false, own: true, other: false });
    } finally {
      await browser.close();
      sockets.close();
      server.close();
    }
  });
});
