import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrainEvent } from '../../src-shared/contract/streams.ts';
import { readRunEvents, readRunRecord } from '../engine/train/run-store.ts';
import { writeDigitFolder } from '../engine/testing/write-digit-folder.ts';
import { captureCli as strata } from './capture-cli.ts';
import type { RunSummary } from '../../src-shared/contract/run-record.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let work: string;
let project: string;

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-recovery-'));
  await writeDigitFolder(path.join(work, 'digits'), { perClass: 300, seed: 9 });
  project = path.join(work, 'digits.strata.json');
  expect((await strata('new', '--template', 'lenet', '--data', path.join(work, 'digits'), '--out', project)).code).toBe(0);
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** `strata train` in its own process, killed with SIGKILL once it is into its second epoch. */
function trainAndKill(): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'bin/strata.mjs'), 'train', project, '--epochs', '4', '--batch-size', '16', '--json'], { cwd: root });
    let buffered = '';
    let runDir: string | null = null;
    let epochs = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        const e = JSON.parse(line) as TrainEvent;
        if (e.type === 'started') runDir = e.runDir;
        if (e.type === 'epoch') epochs = e.epoch;
        if (e.type === 'batch' && epochs === 1 && e.epoch === 2 && e.batch > 5) child.kill('SIGKILL');
      }
    });
    child.on('exit', (_code, signal) => (signal === 'SIGKILL' && runDir ? resolve(runDir) : reject(new Error(`train ended without being killed (${signal})`))));
  });
}

describe('a training process killed mid-epoch', () => {
  it('leaves the run interrupted with its log intact, and --resume finishes it from the checkpoint', async () => {
    const runDir = await trainAndKill();
    const record = readRunRecord(runDir);
    expect(record).toMatchObject({ status: 'running', checkpointEpoch: 1 });
    const logged = readRunEvents(runDir);
    expect(logged.filter((e) => e.type === 'epoch').map((e) => e.type === 'epoch' && e.epoch)).toEqual([1]);
    expect(logged.some((e) => e.type === 'batch' && e.epoch === 2)).toBe(true);

    const listed = JSON.parse((await strata('runs', project, '--json')).stdout) as RunSummary[];
    expect(listed).toEqual([expect.objectContaining({ runDir, status: 'interrupted', checkpointEpoch: 1, epochs: 4 })]);
    expect((await strata('runs', project)).stdout).toMatch(/interrupted\s+1\/4[\s\S]*resume it from its checkpoint/);

    const resumed = await strata('train', '--resume', runDir, '--json');
    expect(resumed.code).toBe(0);
    const events = resumed.stdout.trim().split('\n').map((l) => JSON.parse(l) as TrainEvent);
    expect(events[0]).toMatchObject({ type: 'started', resumedFromEpoch: 1 });
    expect(events.filter((e) => e.type === 'epoch').map((e) => e.type === 'epoch' && e.epoch)).toEqual([2, 3, 4]);
    const last = events.filter((e) => e.type === 'epoch').at(-1);
    expect(last?.type === 'epoch' && last.val_acc).toBeGreaterThan(0.85);
    expect(readRunRecord(runDir)).toMatchObject({ status: 'completed', checkpointEpoch: 4, resumes: 1 });
    // The one log holds both lives of the run, in order.
    expect(readRunEvents(runDir).filter((e) => e.type === 'epoch').map((e) => e.type === 'epoch' && e.epoch)).toEqual([1, 2, 3, 4]);
    expect((await strata('train', '--resume', runDir)).stderr).toMatch(/already completed all its epochs/);
  });

  it('refuses to resume on data that changed since the run started', async () => {
    const runDir = await trainAndKill();
    fs.copyFileSync(path.join(work, 'digits', '3', fs.readdirSync(path.join(work, 'digits', '3'))[0]!), path.join(work, 'digits', '3', 'added.png'));
    const refused = await strata('train', '--resume', runDir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/changed since the run started.*start a new run/);
  });
});
