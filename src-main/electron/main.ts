// Electron main: one window, the contract over IPC, the engine in a utilityProcess.
// Thin on purpose: everything else is shared with the web host and tested there.
import path from 'node:path';
import os from 'node:os';
import { app, BrowserWindow, dialog, ipcMain, session, shell, utilityProcess } from 'electron';
import type { Transport } from '../../src-shared/contract/contract-client.ts';
import type { ClientMessage } from '../../src-shared/contract/wire.ts';
import { EngineHost, type EngineLauncher } from '../host/engine-client.ts';
import { createStudioRouter } from '../host/studio-router.ts';
import { isTrustedSender, secureWindowOptions, STRATA_CHANNEL } from './window-security.ts';

const utilityLauncher: EngineLauncher = () => {
  const child = utilityProcess.fork(path.join(import.meta.dirname, 'engine.js'), [], { serviceName: 'Strata engine', stdio: 'inherit' });
  const closeListeners: Array<(reason: string) => void> = [];
  let exited = false;
  child.on('exit', (code) => {
    exited = true;
    for (const l of closeListeners) l(`the engine process exited with code ${code}`);
  });
  const transport: Transport = {
    send: (msg: ClientMessage) => { if (!exited) child.postMessage(msg); },
    onMessage: (l) => { child.on('message', l); },
    onClose: (l) => { closeListeners.push(l); },
  };
  return { transport, kill: () => { if (!exited) child.kill(); }, pid: child.pid };
};

function rendererUrl(): string {
  return process.env.ELECTRON_RENDERER_URL ?? `file://${path.join(import.meta.dirname, '../renderer/index.html')}`;
}

async function createWindow(): Promise<void> {
  const engine = new EngineHost(utilityLauncher);
  let win: BrowserWindow | null = null;
  const router = createStudioRouter({
    engine,
    runsDir: path.join(os.homedir(), 'Strata', 'runs'),
    openFolderDialog: async (title) => {
      const result = await dialog.showOpenDialog(win!, { title: title ?? 'Choose a folder', properties: ['openDirectory'] });
      return result.canceled ? null : result.filePaths[0] ?? null;
    },
  });
  win = new BrowserWindow(secureWindowOptions(path.join(import.meta.dirname, '../preload/index.cjs')));
  const connection = router.connect((msg) => { if (win && !win.isDestroyed()) win.webContents.send(STRATA_CHANNEL, msg); });
  ipcMain.on(STRATA_CHANNEL, (event, msg: unknown) => {
    // Check who is asking before looking at what is asked.
    if (event.sender !== win?.webContents || !isTrustedSender(event.senderFrame?.url, rendererUrl())) return;
    connection.receive(msg);
  });
  win.webContents.on('will-navigate', (e) => e.preventDefault());
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.on('ready-to-show', () => win?.show());
  win.on('closed', () => { connection.close(); engine.dispose(); win = null; });
  await win.loadURL(rendererUrl());
}

app.whenReady().then(() => {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  return createWindow();
});
app.on('window-all-closed', () => app.quit());
