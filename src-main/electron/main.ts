// Electron main: one window, the contract over IPC, the engine in a utilityProcess.
// Thin on purpose: everything else is shared with the web host and tested there.
import path from 'node:path';
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, session, shell, utilityProcess } from 'electron';
import type { Transport } from '../../src-shared/contract/contract-client.ts';
import type { ClientMessage } from '../../src-shared/contract/wire.ts';
import { EngineHost, type EngineLauncher } from '../host/engine-client.ts';
import { createStudioRouter } from '../host/studio-router.ts';
import { guardIpc } from './ipc-guard.ts';
import { applySessionHardening } from './session-hardening.ts';
import { hardenWebContents } from './web-contents-hardening.ts';
import { secureWindowOptions, STRATA_CHANNEL } from './window-security.ts';

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
  return process.env.ELECTRON_RENDERER_URL ?? pathToFileURL(path.join(import.meta.dirname, '../renderer/index.html')).href;
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
    // Open… and Save as… use the system's own dialogs on the desktop.
    openProjectDialog: async (title) => {
      const result = await dialog.showOpenDialog(win!, { title: title ?? 'Open project', properties: ['openFile'], filters: [{ name: 'Strata projects', extensions: ['json'] }] });
      return result.canceled ? null : result.filePaths[0] ?? null;
    },
    saveProjectDialog: async ({ title, defaultPath }) => {
      const result = await dialog.showSaveDialog(win!, { title: title ?? 'Save project', ...(defaultPath ? { defaultPath } : {}), filters: [{ name: 'Strata projects', extensions: ['strata.json', 'json'] }] });
      return result.canceled ? null : result.filePath ?? null;
    },
  });
  win = new BrowserWindow(secureWindowOptions(path.join(import.meta.dirname, '../preload/index.cjs')));
  const connection = router.connect((msg) => { if (win && !win.isDestroyed()) win.webContents.send(STRATA_CHANNEL, msg); });
  const onContractMessage = guardIpc((msg) => connection.receive(msg), {
    webContents: win.webContents,
    rendererUrl: rendererUrl(),
    onDrop: (why) => console.warn(`[strata] dropped an IPC message: ${why}`),
  });
  ipcMain.on(STRATA_CHANNEL, onContractMessage);
  win.on('ready-to-show', () => win?.show());
  win.on('closed', () => {
    ipcMain.removeListener(STRATA_CHANNEL, onContractMessage);
    connection.close();
    engine.dispose();
    win = null;
  });
  await win.loadURL(rendererUrl());
}

// Sandbox every renderer, including any a future change creates without secureWindowOptions.
app.enableSandbox();
// Every webContents (the window, and anything that ever gets created) is hardened at birth:
// no navigation away from the renderer, no new windows, no <webview>.
app.on('web-contents-created', (_event, contents) => {
  hardenWebContents(contents, rendererUrl(), (url) => shell.openExternal(url));
});
app.whenReady().then(() => {
  applySessionHardening(session.defaultSession);
  return createWindow();
});
app.on('window-all-closed', () => app.quit());
