import { describe, expect, it } from 'vitest';
import { hardenWebContents, shouldBlockNavigation, type FrameNavigationEvent, type HardenableWebContents, type WindowOpenDenied } from './web-contents-hardening.ts';

const RENDERER = 'file:///opt/strata/resources/app.asar/out/renderer/index.html';

/** A webContents that records its listeners, so a test can fire Electron's events at it. */
function fakeWebContents() {
  const listeners = new Map<string, (event: FrameNavigationEvent, url?: string) => void>();
  let openHandler: ((details: { url: string }) => WindowOpenDenied) | undefined;
  const contents = {
    on(event: string, listener: (event: FrameNavigationEvent, url?: string) => void) { listeners.set(event, listener); },
    setWindowOpenHandler(handler: (details: { url: string }) => WindowOpenDenied) { openHandler = handler; },
  } as HardenableWebContents;
  /** Fires an event and says whether the page's default action was prevented. */
  const fire = (name: string, url: string): boolean => {
    let prevented = false;
    const event = { url, preventDefault: () => { prevented = true; } };
    listeners.get(name)!(event, url);
    return prevented;
  };
  return { contents, fire, open: (url: string) => openHandler!({ url }), events: () => [...listeners.keys()].sort() };
}

describe('webContents hardening', () => {
  it('blocks navigation to anything but the renderer page', () => {
    expect(shouldBlockNavigation(RENDERER, RENDERER)).toBe(false);
    expect(shouldBlockNavigation(`${RENDERER}?token=1#canvas`, RENDERER)).toBe(false);
    expect(shouldBlockNavigation('file:///tmp/evil.html', RENDERER)).toBe(true);
    expect(shouldBlockNavigation('https://github.com/', RENDERER)).toBe(true);
    expect(shouldBlockNavigation('http://localhost:5173/', 'http://localhost:5173/')).toBe(false);
    expect(shouldBlockNavigation('http://localhost:5174/', 'http://localhost:5173/')).toBe(true);
  });

  it('prevents navigations, redirects, frame navigations and webviews that leave the renderer', () => {
    const page = fakeWebContents();
    hardenWebContents(page.contents, RENDERER, async () => {});
    expect(page.events()).toEqual(['will-attach-webview', 'will-frame-navigate', 'will-navigate', 'will-redirect']);
    expect({
      navigateAway: page.fire('will-navigate', 'https://evil.example/'),
      navigateHome: page.fire('will-navigate', RENDERER),
      redirectAway: page.fire('will-redirect', 'file:///etc/passwd'),
      frameAway: page.fire('will-frame-navigate', 'https://evil.example/frame'),
      frameHome: page.fire('will-frame-navigate', RENDERER),
      webview: page.fire('will-attach-webview', RENDERER),
    }).toEqual({ navigateAway: true, navigateHome: false, redirectAway: true, frameAway: true, frameHome: false, webview: true });
  });

  it('denies every new window and opens only allow-listed https links in the system browser', () => {
    const page = fakeWebContents();
    const opened: string[] = [];
    hardenWebContents(page.contents, RENDERER, async (url) => { opened.push(url); });
    const urls = ['https://github.com/strata', 'http://github.com/strata', 'https://evil.example/', 'file:///etc/passwd', RENDERER];
    expect(urls.map(page.open)).toEqual(urls.map(() => ({ action: 'deny' })));
    expect(opened).toEqual(['https://github.com/strata']);
  });

  it('survives the system browser failing to open', async () => {
    const page = fakeWebContents();
    hardenWebContents(page.contents, RENDERER, () => Promise.reject(new Error('no browser')));
    expect(page.open('https://keras.io/')).toEqual({ action: 'deny' });
    // An unhandled rejection would fail the run; give it a tick to surface.
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
});
