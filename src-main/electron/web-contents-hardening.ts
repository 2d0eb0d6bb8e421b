// Per-page hardening: a page may not leave the renderer, open windows or attach <webview>s.
// Written against the few methods it calls, not Electron's types at run time, so tests can
// drive it with a fake webContents and assert each event is refused.
import { isAllowedExternalUrl } from './external-links.ts';
import { isTrustedSender } from './window-security.ts';

/** The part of an Electron event that hardening uses. */
export interface PreventableEvent {
  preventDefault(): void;
}

/** Electron's will-frame-navigate event: the URL travels on the event itself. */
export interface FrameNavigationEvent extends PreventableEvent {
  url: string;
}

/** The answer to window.open and target=_blank links. */
export interface WindowOpenDenied {
  action: 'deny';
}

/** The part of Electron's WebContents that hardening touches. */
export interface HardenableWebContents {
  on(event: 'will-navigate', listener: (event: PreventableEvent, url: string) => void): unknown;
  on(event: 'will-redirect', listener: (event: PreventableEvent, url: string) => void): unknown;
  on(event: 'will-frame-navigate', listener: (event: FrameNavigationEvent) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => WindowOpenDenied): void;
}

/** Opens a URL in the system browser (shell.openExternal in the app). */
export type OpenExternal = (url: string) => Promise<void>;

/** Any navigation away from our own renderer page is refused (reloads of it are fine). */
export function shouldBlockNavigation(url: string, rendererUrl: string): boolean {
  return !isTrustedSender(url, rendererUrl);
}

/**
 * Locks one webContents down. Main applies it to every webContents as it is created, so a
 * window nobody planned for is covered too. An allow-listed https link clicked in the page
 * opens in the system browser; the app itself never opens a second window.
 */
export function hardenWebContents(contents: HardenableWebContents, rendererUrl: string, openExternal: OpenExternal): void {
  const guard = (event: PreventableEvent, url: string): void => {
    if (shouldBlockNavigation(url, rendererUrl)) event.preventDefault();
  };
  contents.on('will-navigate', guard);
  contents.on('will-redirect', guard);
  contents.on('will-frame-navigate', (event) => guard(event, event.url));
  // webviewTag is off in the window options; this refuses one even if that ever changes.
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) void openExternal(url).catch(() => undefined);
    return { action: 'deny' };
  });
}
