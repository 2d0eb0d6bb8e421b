import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../src-shared/contract/commands.ts';
import { ImageDataConfigSchema } from '../../src-shared/contract/data-config.ts';
import { dcganTemplate, GanEventSchema, GanTrainingConfigSchema, type GanEvent } from '../../src-shared/contract/gan.ts';
import { loadGanImages } from '../engine/gan/gan-images.ts';
import { runGanTraining } from '../engine/gan/gan-run.ts';
import { appendGanEvent, readGanEvents, readGanRunRecord, writeGanRunRecord } from '../engine/gan/gan-run-store.ts';
import { writeDigitFolder } from '../engine/testing/write-digit-folder.ts';
import { EngineHost } from './engine-client.ts';
import { createStudioRouter } from './studio-router.ts';

// GAN runs through the window's contract: createStudioRouter's commands and the gan.events
// stream, against the real engine process and real image files.
type Router = ReturnType<typeof createStudioRouter>;
type End = Extract<GanEvent, { type: 'end' }>;

let work: string;
let flat: string;
let digits: string;
let runsDir: string;
const engine = new EngineHost();
let router: Router;

/** The images: real digits in a flat folder labelled by a CSV, one of them left out of it. */
beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-gan-hub-'));
  process.env.STRATA_CONFIG_DIR = path.join(work, 'config');
  digits = path.join(work, 'digits');
  await writeDigitFolder(digits, { perClass: 4, seed: 21 });
  flat = path.join(work, 'flat');
  fs.mkdirSync(flat);
  const rows = ['file,label'];
  for (const digit of fs.readdirSync(digits)) {
    for (const name of fs.readdirSync(path.join(digits, digit))) {
      fs.copyFileSync(path.join(digits, digit, name), path.join(flat, name));
      if (name !== '9-3.png') rows.push(`${name},${digit}`);
    }
  }
  fs.writeFileSync(path.join(flat, 'labels.csv'), `${rows.join('\n')}\n`);
  runsDir = path.join(work, 'runs');
  router = createStudioRouter({ engine, runsDir });
});
afterAll(() => {
  engine.dispose();
  fs.rmSync(work, { recursive: true, force: true });
});

const invoke = async <C extends keyof typeof commands>(r: Router, name: C, args: unknown) =>
  commands[name].result.parse(await r.invoke(name, args)) as ReturnType<(typeof commands)[C]['result']['parse']>;

/**
 * Subscribes to gan.events on a connection of its own (events round-trip through JSON as on
 * the real transports) and resolves with every event once the stream ends.
 */
function follow(r: Router, runId: string, on: (e: GanEvent) => void = () => {}): Promise<GanEvent[]> {
  return new Promise((resolve, reject) => {
    const events: GanEvent[] = [];
    const connection = r.connect((raw) => {
      const msg = JSON.parse(JSON.stringify(raw)) as { t: string; event?: unknown; error?: unknown };
      if (msg.t === 'event') {
        const e = GanEventSchema.parse(msg.event);
        events.push(e);
        on(e);
      } else if (msg.t === 'end') {
        connection.close();
        if (msg.error) reject(new Error(JSON.stringify(msg.error)));
        else resolve(events);
      }
    });
    connection.receive({ t: 'subscribe', id: 1, stream: 'gan.events', args: { runId } });
  });
}

const startArgs = (overrides: { imageSize?: [number, number]; channels?: 1 | 3; epochs?: number; gan?: unknown; path?: string } = {}) => {
  const imageSize = overrides.imageSize ?? [28, 28];
  const channels = overrides.channels ?? 1;
  return {
    gan: overrides.gan ?? dcganTemplate([imageSize[0], imageSize[1], channels]),
    data: ImageDataConfigSchema.parse({ kind: 'image-folder', path: overrides.path ?? flat, labels: { csv: 'labels.csv' }, imageSize, channels }),
    training: GanTrainingConfigSchema.parse({ epochs: overrides.epochs ?? 2, batchSize: 8, samplesPerEpoch: 16, gridSize: 2, seed: 5 }),
  };
};

const kinds = (events: GanEvent[]) => events.map((e) => e.type).filter((t, i, all) => t !== 'batch' || all[i - 1] !== 'batch');

describe('GAN runs through the studio router', () => {
  it('trains on a flat folder with a labels CSV at the asked size and channels, replays its history, lists it, generates and exports', async () => {
    const { runId, runDir } = await invoke(router, 'gan.start', startArgs({ imageSize: [16, 16], channels: 3 }));
    expect(path.dirname(runDir)).toBe(runsDir);
    let midway: Promise<GanEvent[]> | null = null;
    const live = await follow(router, runId, (e) => { if (e.type === 'epoch' && e.epoch === 1) midway ??= follow(router, runId); });

    expect(kinds(live)).toEqual(['started', 'batch', 'epoch', 'samples', 'batch', 'epoch', 'samples', 'end']);
    expect(live[0]).toMatchObject({ type: 'started', runDir, epochs: 2, batchesPerEpoch: 2, trainCount: 39, imageShape: [16, 16, 3] });
    expect(live.at(-1)).toEqual({ type: 'end', status: 'completed', runDir });
    const grid = live.find((e): e is Extract<GanEvent, { type: 'samples' }> => e.type === 'samples')!;
    expect(grid.png.startsWith('data:image/png;base64,')).toBe(true);
    const meta = await sharp(Buffer.from(grid.png.slice('data:image/png;base64,'.length), 'base64')).metadata();
    expect([meta.format, meta.width, meta.height, meta.channels]).toEqual(['png', grid.width, grid.height, 3]);

    // A subscriber that came in after epoch 1, one after the end, and a fresh host that only
    // has the run folder on disk all get the same history, sample grids included.
    expect(await midway).toEqual(live);
    expect(await follow(router, runId)).toEqual(live);
    expect(await follow(createStudioRouter({ engine, runsDir }), runId)).toEqual(live);

    const listed = await invoke(router, 'gan.runs', {});
    expect(listed.find((r) => r.runId === runId)).toMatchObject({ runDir, status: 'completed', reason: null, epochs: 2, checkpointEpoch: 2, lastEpoch: { epoch: 2 } });

    const out = path.join(work, 'generated');
    const made = await invoke(router, 'gan.generate', { runId, count: 5, out, seed: 3 });
    expect(made).toEqual({ files: [0, 1, 2, 3, 4].map((i) => path.join(out, `sample-000${i}.png`)), epoch: 2 });
    const first = await sharp(made.files[0]!).metadata();
    expect([first.width, first.height, first.channels]).toEqual([16, 16, 3]);

    const exported = await invoke(router, 'export.run', { runId, format: 'onnx', out: path.join(work, 'generator.onnx') });
    expect(exported.parity).toMatchObject({ format: 'onnx', passed: true, samples: 32, skipped: null });
    expect(exported.parity?.maxAbsDiff).toBeLessThan(1e-4);
    expect(fs.statSync(exported.path).size).toBeGreaterThan(1000);
  }, 120_000);

  it('stops a run mid-way as cancelled and keeps the last epoch\'s checkpoint', async () => {
    const { runId, runDir } = await invoke(router, 'gan.start', startArgs({ epochs: 500 }));
    let stopping: Promise<{ stopping: boolean }> | null = null;
    const events = await follow(router, runId, (e) => { if (e.type === 'samples') stopping ??= invoke(router, 'gan.stop', { runId }); });
    expect(await stopping).toEqual({ stopping: true });
    const end = events.at(-1) as End;
    expect([end.type, end.status]).toEqual(['end', 'cancelled']);
    const record = readGanRunRecord(runDir);
    expect(record.status).toBe('cancelled');
    expect(record.checkpointEpoch).toBeGreaterThanOrEqual(1);
    expect(end.reason).toBe(`stopped during epoch ${record.checkpointEpoch + 1}; the checkpoint is from epoch ${record.checkpointEpoch}`);
    expect(fs.readdirSync(path.join(runDir, 'checkpoint', 'generator')).sort()).toEqual(['model.json', 'weights.bin']);
    expect(await invoke(router, 'gan.stop', { runId })).toEqual({ stopping: false });
    // The kept generator still makes images.
    expect((await invoke(router, 'gan.generate', { runId, count: 1, out: path.join(work, 'after-stop'), seed: 1 })).epoch).toBe(record.checkpointEpoch);
  }, 120_000);

  it('ends a run whose engine dies as failed, and marks its record and log', async () => {
    const { runId, runDir } = await invoke(router, 'gan.start', startArgs({ epochs: 500 }));
    let killed = false;
    const events = await follow(router, runId, (e) => { if (e.type === 'samples' && !killed) { killed = true; engine.kill(); } });
    const end = events.at(-1) as End;
    expect([end.status, end.error?.code]).toEqual(['failed', 'ENGINE_DIED']);
    expect(end.reason).toMatch(/^the engine process died mid-run \(the engine process was killed \(SIGKILL\)\)/);
    expect([readGanRunRecord(runDir).status, readGanEvents(runDir).at(-1)]).toEqual(['failed', end]);
    const listed = await invoke(router, 'gan.runs', {});
    expect(listed.find((r) => r.runId === runId)).toMatchObject({ status: 'failed', reason: end.reason });
  }, 120_000);

  it('ends a GAN whose discriminator does not take the generator\'s images, or whose folder is missing, as failed with why', async () => {
    const mismatched = { ...dcganTemplate([28, 28, 1]), discriminator: dcganTemplate([32, 32, 1]).discriminator };
    const bad = await invoke(router, 'gan.start', startArgs({ gan: mismatched }));
    const events = await follow(router, bad.runId);
    expect(events).toHaveLength(1);
    const end = events[0] as End;
    expect([end.type, end.status, end.error?.code]).toEqual(['end', 'failed', 'GAN_INVALID']);
    expect(end.reason).toMatch(new RegExp(`^The GAN cannot train on ${flat}:\\n  - `));

    const missing = path.join(work, 'no-such-folder');
    const gone = await invoke(router, 'gan.start', startArgs({ path: missing }));
    const [goneEnd] = await follow(router, gone.runId) as End[];
    expect([goneEnd!.status, goneEnd!.error?.code]).toEqual(['failed', 'NOT_FOUND']);
    expect(goneEnd!.reason).toContain(missing);

    // Neither got as far as gan-run.json, yet both are listed with their reasons.
    const listed = await invoke(router, 'gan.runs', {});
    expect([bad.runId, gone.runId].map((id) => listed.find((r) => r.runId === id))).toEqual([
      { kind: 'gan', runId: bad.runId, runDir: bad.runDir, createdAt: expect.any(String), status: 'failed', reason: end.reason, epochs: 2, checkpointEpoch: 0, lastEpoch: null },
      { kind: 'gan', runId: gone.runId, runDir: gone.runDir, createdAt: expect.any(String), status: 'failed', reason: goneEnd!.reason, epochs: 2, checkpointEpoch: 0, lastEpoch: null },
    ]);
    // Run ids are names, never paths; an id that is neither a classifier run nor a GAN run is refused.
    await expect(router.invoke('gan.generate', { runId: `../${path.basename(work)}`, count: 1, out: path.join(work, 'x') })).rejects.toMatchObject({ code: 'NO_SUCH_RUN' });
    await expect(router.invoke('export.run', { runId: 'run-nothing', format: 'onnx', out: path.join(work, 'x.onnx') })).rejects.toMatchObject({ code: 'NO_SUCH_RUN' });
  }, 60_000);
  it('follows a run another process is training (strata gan-train) through its log until it ends, and stops following when that process is gone', async () => {
    // A finished run trained in this test's process, turned back into one mid-way: its record
    // "running" under this process's pid (alive, and not the host's engine), its log cut after epoch 1.
    const runDir = path.join(runsDir, 'gan-elsewhere');
    const training = GanTrainingConfigSchema.parse({ epochs: 2, batchSize: 8, samplesPerEpoch: 16, gridSize: 2, seed: 5 });
    await runGanTraining({ runId: 'gan-elsewhere', runDir, gan: dcganTemplate(), training, images: await loadGanImages(digits) }, () => {}, new AbortController().signal);
    const full = readGanEvents(runDir);
    const record = readGanRunRecord(runDir);
    const cut = full.findIndex((e) => e.type === 'samples') + 1;
    const restart = (pid: number): void => {
      fs.writeFileSync(path.join(runDir, 'events.jsonl'), '');
      for (const e of full.slice(0, cut)) appendGanEvent(runDir, e);
      writeGanRunRecord(runDir, { ...record, status: 'running', endedAt: null, pid });
    };
    restart(process.pid);
    const listed = await invoke(router, 'gan.runs', { runsDir });
    expect(listed.find((r) => r.runId === 'gan-elsewhere')?.status).toBe('running');

    let ended = false;
    const followed = follow(router, 'gan-elsewhere').then((events) => { ended = true; return events; });
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(ended).toBe(false); // epoch 1 replayed, and still following
    for (const e of full.slice(cut, -1)) appendGanEvent(runDir, e);
    await new Promise((resolve) => setTimeout(resolve, 800));
    writeGanRunRecord(runDir, record);
    appendGanEvent(runDir, full.at(-1)!);
    const events = await followed;
    expect(kinds(events)).toEqual(kinds(full));
    expect(events.at(-1)).toEqual({ type: 'end', status: 'completed', runDir });

    // Its process gone (a pid no process has): the history so far, then the stream ends.
    restart(2 ** 22 + 7);
    expect(kinds(await follow(router, 'gan-elsewhere'))).toEqual(kinds(full.slice(0, cut)));
  }, 60_000);
});
