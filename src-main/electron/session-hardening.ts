// Session-wide hardening: no web permission is ever granted, and every response carries the
// renderer's CSP as a header. Written against the few methods it calls, not Electron's
// types at run time, so tests drive it with fakes (Electron cannot launch on CI machines).
import { RENDERER_CSP_HEADER } from './content-security-policy.ts';

/** A response's headers as Electron's webRequest reports them. */
export type ResponseHeaders = Record<string, string[]>;

/** The part of Electron's Session that hardening touches. */
export interface HardenableSession {
  setPermissionRequestHandler(handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: (webContents: unknown, permission: string) => boolean): void;
  setDevicePermissionHandler(handler: (details: unknown) => boolean): void;
  webRequest: {
    onHeadersReceived(listener: (
      details: { responseHeaders?: ResponseHeaders },
      callback: (response: { responseHeaders?: ResponseHeaders }) => void,
    ) => void): void;
  };
}

/**
 * The studio needs no camera, microphone, location, notifications, USB, HID or serial port;
 * a renderer that asks has been subverted, so every request and every check says no.
 */
export function denyAllPermissions(session: HardenableSession): void {
  session.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

/** The response's headers with any CSP the server sent replaced by ours. */
export function withRendererCsp(headers: ResponseHeaders | undefined): ResponseHeaders {
  const kept = Object.entries(headers ?? {}).filter(([name]) => name.toLowerCase() !== 'content-security-policy');
  return { ...Object.fromEntries(kept), 'Content-Security-Policy': [RENDERER_CSP_HEADER] };
}

/**
 * Applies the session-wide rules. The header backs up index.html's meta tag: it also covers
 * the dev server's responses and carries frame-ancestors, which a meta tag cannot.
 */
export function applySessionHardening(session: HardenableSession): void {
  denyAllPermissions(session);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withRendererCsp(details.responseHeaders) });
  });
}
