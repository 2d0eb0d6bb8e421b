import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CHROMIUM = process.env.STRATA_CHROMIUM ?? '/usr/bin/chromium';
/** Key screenshots of the run (`npm run screenshots`); not test expectations. */
export const SCREENSHOT_DIR = path.join(ROOT, 'screenshots');

/**
 * `strata serve` started exactly as a user would, on a free loopback port. The browser may
 * use files only inside the test's work folder (the runs folder's parent; `--root`).
 */
export async function startServe(runsDir: string, env: Record<string, string> = {}): Promise<{ url: string; output(): string; stop(): Promise<void>; kill(): Promise<void> }> {
  const args = ['serve', '--port', '0', '--runs', runsDir, '--root', path.dirname(runsDir)];
  const child: ChildProcess = spawn(process.execPath, [path.join(ROOT, 'bin/strata.mjs'), ...args], {
    cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`strata serve printed no URL in 180 s:\n${output}`)), 180_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const m = /Strata studio: (http:\/\/\S+)/.exec(output);
      if (m) { clearTimeout(timer); resolve(m[1]!); }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`strata serve exited (${code}):\n${output}`)));
  });
  const exited = (): boolean => child.exitCode !== null || child.signalCode !== null;
  return {
    url,
    /** Everything the host printed so far (a failing test shows it: the host's side of the story). */
    output: () => output,
    /** Ends the host as Ctrl-C does; one that has not ended 15 s later is killed, and says so. */
    stop: () => new Promise((resolve) => {
      if (exited()) { resolve(); return; }
      const timer = setTimeout(() => {
        console.warn(`strata serve did not end within 15 s of SIGTERM; killing it. Its output:\n${output.slice(-3000)}`);
        child.kill('SIGKILL');
      }, 15_000);
      child.once('exit', () => { clearTimeout(timer); resolve(); });
      child.kill('SIGTERM');
    }),
    /** Ends the host as a crash does (SIGKILL: no handler runs, nothing is flushed). */
    kill: () => new Promise((resolve) => {
      if (exited()) { resolve(); return; }
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    }),
  };
}

export async function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not at ${CHROMIUM}. Install Debian's: apt-get install chromium (or set STRATA_CHROMIUM).`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', ...extraArgs],
  });
}

/** Watches a page for errors a user would not see but that mean something broke. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/favicon/.test(m.text())) errors.push(`console: ${m.text()}`);
  });
  return errors;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
}

/** A studio session as a user has it: `strata serve`, Chromium, one page open on the URL. */
export async function openStudio(runsDir: string, chromiumArgs: readonly string[] = []): Promise<{ page: Page; errors: string[]; browser: Browser; hostOutput(): string; close(): Promise<void> }> {
  // The user's block library goes beside the runs, never into the real ~/.config.
  const serve = await startServe(runsDir, { STRATA_CONFIG_DIR: path.join(path.dirname(runsDir), 'config') });
  const browser = await launchChromium(chromiumArgs);
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const errors = collectPageErrors(page);
  await page.goto(serve.url);
  return {
    page,
    errors,
    browser,
    hostOutput: () => serve.output(),
    close: async () => {
      await browser.close();
      await serve.stop();
    },
  };
}

/**
 * Types a path into the open path chooser and chooses it. Waits for the chooser's first
 * listing as a person would: Playwright's fill() is one instant, and a listing landing in
 * that instant re-renders the box under it (a person's first keystroke already guards the
 * typed path; an automated fill has none).
 */
export async function choosePath(page: Page, target: string): Promise<void> {
  await page.getByTestId('path-entries').waitFor({ state: 'visible' });
  await page.waitForTimeout(100);
  await page.getByTestId('path-input').fill(target);
  await page.getByTestId('btn-path-choose').click();
}

/**
 * Saves into `dir` under `fileName` with the open Save-as chooser. Waits for its first listing
 * (it fills the path box and grows the list, moving the Save button), then types both and
 * presses Enter in the name box, as a person can: a click on Save while a listing lands may
 * miss the moving button (seen once in CI: the chooser stayed open).
 */
export async function saveInChooser(page: Page, dir: string, fileName: string): Promise<void> {
  await page.waitForFunction(() => (document.querySelector('[data-testid="path-input"]') as HTMLInputElement | null)?.value !== '');
  await page.getByTestId('path-input').fill(dir);
  await page.getByTestId('path-file-name').fill(fileName);
  await page.getByTestId('path-file-name').press('Enter');
}

/** Drags the splitter above the bottom panels so they are `height` pixels tall (as a user would, for a closer look). */
export async function resizePanels(page: Page, height: number): Promise<void> {
  const splitter = page.getByTestId('panel-splitter');
  const box = (await splitter.boundingBox())!;
  const panels = (await page.getByTestId('bottom-panels').boundingBox())!;
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x, y - (height - panels.height), { steps: 5 });
  await page.mouse.up();
}

/**
 * Wires output `from` to input `to` with the mouse, as a user does. React Flow may still be
 * fitting the view after the last edit, so it waits until both handles stop moving, drags in
 * small steps, and tries again (up to 3 times) if no edge appeared — a person would too.
 */
export async function connectHandles(page: Page, from: string, to: string): Promise<void> {
  const source = page.getByTestId(`handle-out-${from}`);
  const target = page.getByTestId(`handle-in-${to}`);
  const edge = page.getByTestId(`edge-label-${from}-${to}`);
  for (let attempt = 1; ; attempt++) {
    let last = '';
    for (let i = 0; i < 20; i++) {
      const now = JSON.stringify([await source.boundingBox(), await target.boundingBox()]);
      if (now === last) break;
      last = now;
      await page.waitForTimeout(100);
    }
    const a = (await source.boundingBox())!;
    const b = (await target.boundingBox())!;
    await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
    await page.mouse.down();
    await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 8 });
    await page.mouse.up();
    try {
      await edge.waitFor({ state: 'visible', timeout: 3000 });
      return;
    } catch (err) {
      if (attempt === 3) throw new Error(`no edge ${from} → ${to} after 3 drags: ${String(err)}`);
    }
  }
}
