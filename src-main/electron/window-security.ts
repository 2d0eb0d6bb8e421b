import type { BrowserWindowConstructorOptions } from 'electron';

/**
 * The window's web preferences, kept as data so tests can assert them without launching
 * Electron: no Node in the page, an isolated and sandboxed preload, web security on.
 */
export function secureWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Strata',
    backgroundColor: '#101418',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      // A file dropped on the window must not replace the studio with that file.
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  };
}

/** The IPC channel the preload and main share; the only one the preload may use. */
export const STRATA_CHANNEL = 'strata:contract';

/** Only our own renderer (a file:// page from the app bundle, or the dev server) may talk to main. */
export function isTrustedSender(frameUrl: string | undefined, rendererUrl: string): boolean {
  if (!frameUrl) return false;
  try {
    const sender = new URL(frameUrl);
    const ours = new URL(rendererUrl);
    return sender.protocol === ours.protocol && sender.host === ours.host && sender.pathname === ours.pathname;
  } catch {
    return false;
  }
}
