import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readProjectFile, writeProjectFile } from './project-file.ts';
import { largeProject } from './project-save-loop.ts';

// The fault test the atomic write exists for: a writer killed with SIGKILL (no handler, no
// cleanup) at random moments while it saves a large project. Each time, the file must read
// as a whole project — the one before or a complete new one — never a part of one.
const ROOT = path.resolve(import.meta.dirname, '../..');
const POSITIONS = 80_000; // about 5 MB per save, so a kill often lands inside a write
let dir: string;
let file: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-save-crash-'));
  file = path.join(dir, 'big.strata.json');
  writeProjectFile(file, largeProject('original', POSITIONS));
});
afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

/** Starts the save loop, lets it run for `ms` after it is ready (saving at least once), then SIGKILLs it. */
function killMidSave(ms: number): Promise<{ saves: number; signal: NodeJS.Signals | null }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/run-ts.mjs'), path.join(ROOT, 'src-main/projects/project-save-loop.ts'), file, String(POSITIONS)], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let killTimer: NodeJS.Timeout | undefined;
  child.stderr.on('data', (c: Buffer) => { err += c.toString(); });
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
    if (!killTimer && out.includes('ready')) killTimer = setTimeout(() => child.kill('SIGKILL'), ms);
  });
  return new Promise((resolve, reject) => {
    child.on('exit', (code, signal) => {
      clearTimeout(killTimer);
      if (signal !== 'SIGKILL') reject(new Error(`the save loop exited by itself (${code}):\n${err}`));
      else resolve({ saves: (out.match(/saved \d+/g) ?? []).length, signal });
    });
  });
}

describe('SIGKILL during a save', () => {
  it('always leaves a whole project: the previous one or a complete new one', async () => {
    const names: string[] = [];
    // Kill moments spread from "while the first write is under way" to "after several saves".
    for (const ms of [0, 15, 40, 90, 160, 250, 400, 700].map((m) => m + Math.floor(Math.random() * 30))) {
      await killMidSave(ms);
      const project = readProjectFile(file); // throws on a partial file
      expect(project.name).toMatch(/^(original|gen-\d+)$/);
      expect(Object.keys(project.model.layout)).toHaveLength(Object.keys(largeProject('x', POSITIONS).model.layout).length);
      names.push(project.name);
    }
    // The longer runs saved at least once, so the file really was being replaced under the kills.
    expect(names.some((n) => n.startsWith('gen-'))).toBe(true);
    // Temp files a killed writer left are never the project, and the next save clears them.
    const strays = fs.readdirSync(dir).filter((n) => n !== 'big.strata.json');
    expect(strays.every((n) => /^\.big\.strata\.json\.\d+\.\d+\.tmp$/.test(n))).toBe(true);
    writeProjectFile(file, largeProject('after', 10));
    expect(fs.readdirSync(dir)).toEqual(['big.strata.json']);
    expect(readProjectFile(file).name).toBe('after');
  }, 120_000);
});
