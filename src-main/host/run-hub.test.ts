import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataConfigSchema } from '../../src-shared/contract/data-config.ts';
import { TrainingConfigSchema } from '../../src-shared/contract/project.ts';
import type { TrainEvent } from '../../src-shared/contract/streams.ts';
import { TEMPLATES } from '../../src-shared/spec/templates.ts';
import { readRunEvents, readRunRecord, writeRunRecord } from '../engine/train/run-store.ts';
import { writeDigitFolder } from '../engine/testing/write-digit-folder.ts';
import { childProcessLauncher, EngineHost, type EngineLauncher } from './engine-client.ts';
import { RunHub } from './run-hub.ts';

// Main's side of runs, against the real engine process: pause and resume, a stop the
// engine does not answer, and an engine killed mid-epoch whose run is resumed.
let work: string;
let digits: string;
const hosts: EngineHost[] = [];

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-hub-'));
  digits = path.join(work, 'digits');
  await writeDigitFolder(digits, { perClass: 120, seed: 12 });
});
afterAll(() => {
  for (const h of hosts) h.dispose();
  fs.rmSync(work, { recursive: true, force: true });
});

function hub(launcher: EngineLauncher = childProcessLauncher, graceMs?: number) {
  const engine = new EngineHost(launcher);
  hosts.push(engine);
  return { engine, runs: new RunHub(engine, path.join(work, 'runs'), graceMs) };
}

function startDigits(runs: RunHub, epochs = 3) {
  return runs.start({
    spec: TEMPLATES.find((t) => t.id === 'lenet')!.build({ inputShape: [28, 28, 1], classes: 10 }),
    data: DataConfigSchema.parse({ kind: 'image-folder', path: digits, imageSize: [28, 28], channels: 1 }),
    training: TrainingConfigSchema.parse({ epochs, batchSize: 8 }),
  });
}

/** Follows a run, calling `on` for each event, until its end event; resolves with every event. */
async function follow(runs: RunHub, runId: string, on: (e: TrainEvent, all: TrainEvent[]) => void | Promise<void> = () => {}): Promise<TrainEvent[]> {
  const all: TrainEvent[] = [];
  await runs.follow(runId, (e) => { all.push(e); void on(e, all); }, new AbortController().signal);
  return all;
}

describe('runs through main and the engine process', () => {
  it('pauses between two batches and resumes where it was', async () => {
    const { runs } = hub();
    const { runId } = startDigits(runs);
    let pausedAt = 0;
    let batchesWhilePaused = -1;
    const events = await follow(runs, runId, async (e, all) => {
      if (e.type === 'batch' && e.epoch === 1 && pausedAt === 0) {
        pausedAt = all.length;
        expect(await runs.pause(runId, true)).toBe(true);
      }
      if (e.type === 'control' && e.state === 'paused') {
        const before = all.length;
        await new Promise((r) => setTimeout(r, 600));
        batchesWhilePaused = all.length - before;
        expect(await runs.pause(runId, false)).toBe(false);
      }
    });
    expect(batchesWhilePaused).toBe(0);
    expect(events.filter((e) => e.type === 'control').map((e) => e.type === 'control' && e.state)).toEqual(['paused', 'running']);
    expect(events.at(-1)).toMatchObject({ type: 'end', status: 'completed' });
    expect(events.filter((e) => e.type === 'epoch')).toHaveLength(3);
  });

  it('kills an engine that does not answer a stop within the grace period, ends the run as cancelled, and restarts the engine', async () => {
    // The real engine, with every run.stop lost on the way: a hung engine, as far as main can tell.
    const deaf: EngineLauncher = () => {
      const inner = childProcessLauncher();
      return { ...inner, transport: { ...inner.transport, send: (msg) => { if (!(msg.t === 'invoke' && msg.cmd === 'run.stop')) inner.transport.send(msg); } } };
    };
    const { runs, engine } = hub(deaf, 400);
    const { runId, runDir } = startDigits(runs, 20);
    const events = await follow(runs, runId, (e) => { if (e.type === 'epoch' && e.epoch === 1) void runs.stop(runId); });
    expect(events.at(-1)).toMatchObject({ type: 'end', status: 'cancelled', reason: expect.stringMatching(/did not stop within 0\.4 s and was ended \(the last checkpoint is kept\)/) });
    expect(readRunRecord(runDir)).toMatchObject({ status: 'cancelled', checkpointEpoch: expect.any(Number) });
    expect(engine.lastDeath).toMatch(/killed \(SIGKILL\)/);
    await expect(engine.client().invoke('engine.doctor', {})).resolves.toMatchObject({ native: true }); // a fresh engine
  });

  it('marks a run failed when its engine dies mid-epoch, keeps its log, and resumes it to the end', async () => {
    const { runs, engine } = hub();
    const { runId, runDir } = startDigits(runs, 3);
    const events = await follow(runs, runId, (e) => { if (e.type === 'batch' && e.epoch === 2 && e.batch > 4) engine.kill(); });
    expect(events.at(-1)).toMatchObject({ type: 'end', status: 'failed', error: { code: 'ENGINE_DIED' } });
    expect(readRunRecord(runDir)).toMatchObject({ status: 'failed', checkpointEpoch: 1 });
    expect(readRunEvents(runDir)).toEqual(events); // the log on disk is the whole story so far

    expect(runs.list()).toEqual([expect.objectContaining({ runId, status: 'failed', checkpointEpoch: 1 })].concat(runs.list().slice(1)));
    runs.resume(runId);
    const resumed = await follow(runs, runId);
    expect(resumed[0]).toMatchObject({ type: 'started', resumedFromEpoch: 1 });
    expect(resumed.filter((e) => e.type === 'epoch').map((e) => e.type === 'epoch' && e.epoch)).toEqual([2, 3]);
    expect(resumed.at(-1)).toMatchObject({ type: 'end', status: 'completed' });
    expect(readRunRecord(runDir)).toMatchObject({ status: 'completed', checkpointEpoch: 3, resumes: 1 });
  });

  it("shows a record left 'running' as interrupted when its process is this host's idle engine or an unrelated program, and as running under another Strata process", async () => {
    const { runs, engine } = hub();
    const { runId, runDir } = startDigits(runs, 1);
    await follow(runs, runId);
    const finished = readRunRecord(runDir);
    const statusWithPid = (pid: number): string | undefined => {
      writeRunRecord(runDir, { ...finished, status: 'running', endedAt: null, reason: null, pid });
      return runs.list().find((r) => r.runId === runId)?.status;
    };
    await engine.client().invoke('engine.doctor', {}); // the engine is up, and not training this run
    expect(statusWithPid(engine.pid!)).toBe('interrupted');
    const sleeper = spawn('sleep', ['30']);
    try {
      expect(statusWithPid(sleeper.pid!)).toBe('interrupted'); // a pid the system gave to another program
    } finally {
      sleeper.kill();
    }
    const otherStrata = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      expect(statusWithPid(otherStrata.pid!)).toBe('running');
      expect(() => runs.resume(runId)).toThrow(/training in another Strata process/);
    } finally {
      otherStrata.kill();
    }
    statusWithPid(engine.pid!);
    runs.resume(runId); // the interrupted run resumes here
    const resumed = await follow(runs, runId);
    expect(resumed.at(-1)).toMatchObject({ type: 'end', status: 'completed' });
  });
});
