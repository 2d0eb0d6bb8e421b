import { describe, expect, it } from 'vitest';
import { RENDERER_CSP_HEADER } from './content-security-policy.ts';
import { applySessionHardening, type HardenableSession, type ResponseHeaders } from './session-hardening.ts';

/** A session that records the handlers hardening installs, so a test can call them. */
function fakeSession() {
  const installed: {
    request?: Parameters<HardenableSession['setPermissionRequestHandler']>[0];
    check?: Parameters<HardenableSession['setPermissionCheckHandler']>[0];
    device?: Parameters<HardenableSession['setDevicePermissionHandler']>[0];
    headers?: Parameters<HardenableSession['webRequest']['onHeadersReceived']>[0];
  } = {};
  const session: HardenableSession = {
    setPermissionRequestHandler: (h) => { installed.request = h; },
    setPermissionCheckHandler: (h) => { installed.check = h; },
    setDevicePermissionHandler: (h) => { installed.device = h; },
    webRequest: { onHeadersReceived: (l) => { installed.headers = l; } },
  };
  return { session, installed };
}

describe('session hardening', () => {
  it('denies every permission request, check and device request', () => {
    const { session, installed } = fakeSession();
    applySessionHardening(session);
    const permissions = ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'hid', 'unknown'];
    const answers: Record<string, { request: boolean[]; check: boolean }> = {};
    for (const permission of permissions) {
      const request: boolean[] = [];
      installed.request!({}, permission, (granted) => request.push(granted));
      answers[permission] = { request, check: installed.check!({}, permission) };
    }
    expect(answers).toEqual(Object.fromEntries(permissions.map((p) => [p, { request: [false], check: false }])));
    expect(installed.device!({ deviceType: 'usb' })).toBe(false);
  });

  it('replaces any Content-Security-Policy a response carries with the renderer\'s, keeping other headers', () => {
    const { session, installed } = fakeSession();
    applySessionHardening(session);
    const answered: Array<ResponseHeaders | undefined> = [];
    installed.headers!(
      { responseHeaders: { 'content-security-policy': ["default-src *; script-src 'unsafe-eval'"], 'Content-Type': ['text/html'] } },
      (response) => answered.push(response.responseHeaders),
    );
    installed.headers!({}, (response) => answered.push(response.responseHeaders));
    expect(answered).toEqual([
      { 'Content-Type': ['text/html'], 'Content-Security-Policy': [RENDERER_CSP_HEADER] },
      { 'Content-Security-Policy': [RENDERER_CSP_HEADER] },
    ]);
  });
});
