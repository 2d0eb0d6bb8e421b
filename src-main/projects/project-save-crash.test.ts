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

/**
 * Starts the save loop, lets it run for `ms` after it is ready — or, with `afterSaves`, after
 * it has reported that many complete saves (a loaded machine may be slow to save at all) —
 * then SIGKILLs it.
 */
function killMidSave(ms: number, afterSaves = 0): Promise<{ saves: number; signal: NodeJS.Signals | null }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/run-ts.mjs'), path.join(ROOT, 'src-main/projects/project-save-loop.ts'), file, String(POSITIONS)], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let killTimer: NodeJS.Timeout | undefined;
  child.stderr.on('data', (c: Buffer) => { err += c.toString(); });
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
    const started = afterSaves === 0 ? out.includes('ready') : (out.match(/saved \d+/g) ?? []).length >= afterSaves;
    if (!killTimer && started) killTimer = setTimeout(() => child.kill('SIGKILL'), ms);
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
    // Kill moments spread from "while the first write is under way" to "after several saves";
    // the last three only once a save completed, so a new file is really written under the kill.
    const moments: Array<[number, number]> = [[0, 0], [15, 0], [40, 0], [90, 0], [160, 0], [0, 1], [60, 1], [200, 2]];
    for (const [ms, afterSaves] of moments.map(([m, a]) => [m + Math.floor(Math.random() * 30), a] as [number, number])) {
      await killMidSave(ms, afterSaves);
      const project = readProjectFile(file); // throws on a partial file
      expect(project.name).toMatch(/^(original|gen-\d+)$/);
      expect(Object.keys(project.model.layout)).toHaveLength(Object.keys(largeProject('x', POSITIONS).model.layout).length);
      names.push(project.name);
    }
    // The later kills came after complete saves, so the file really was being replaced under them.
    expect(names.some((n) => n.startsWith('gen-'))).toBe(true);
    // Temp files a killed writer left are never the project, and the next save clears them.
    const strays = fs.readdirSync(dir).filter((n) => n !== 'big.strata.json');
    expect(strays.every((n) => /^\.big\.strata\.json\.\d+\.\d+\.tmp$/.test(n))).toBe(true);
    writeProjectFile(file, largeProject('after', 10));
    expect(fs.readdirSync(dir)).toEqual(['big.strata.json']);
    expect(readProjectFile(file).name).toBe('after');
  }, 120_000);
});
