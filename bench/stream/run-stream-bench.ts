// `npm run bench:stream`: the same training run through the web host and the engine
// process, once headless (started over the socket, nobody subscribed: the end is read from
// runs.list) and once with a socket client subscribed to train.events receiving every
// event, alternating three times; prints the median wall times and the ratio
// subscribed ÷ headless (target ≤ 1.03).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { DataConfigSchema } from '../../src-shared/contract/data-config.ts';
import { TrainingConfigSchema } from '../../src-shared/contract/project.ts';
import { TEMPLATES } from '../../src-shared/spec/templates.ts';
import { writeDigitFolder } from '../../src-main/engine/testing/write-digit-folder.ts';
import { EngineHost } from '../../src-main/host/engine-client.ts';
import { createStudioRouter } from '../../src-main/host/studio-router.ts';
import { startWebHost } from '../../src-main/host/web-host.ts';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-stream-'));
await writeDigitFolder(path.join(work, 'digits'), { perClass: 200, seed: 8 });
fs.writeFileSync(path.join(work, 'index.html'), '<!doctype html><title>Strata</title>');
const engine = new EngineHost();
const host = await startWebHost({ router: createStudioRouter({ engine, runsDir: path.join(work, 'runs') }), rendererDir: work, token: 'bench' });
const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws?token=bench`, { origin: `http://127.0.0.1:${host.port}` });
await new Promise((resolve, reject) => { ws.on('open', resolve); ws.on('error', reject); });

let nextId = 1;
const pending = new Map<number, (msg: { ok?: boolean; value?: unknown; event?: unknown; t: string }) => void>();
ws.on('message', (data) => {
  const msg = JSON.parse(String(data)) as { id: number; t: string };
  pending.get(msg.id)?.(msg);
});
function invoke<T>(cmd: string, args: unknown): Promise<T> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, (msg) => { pending.delete(id); if (msg.ok) resolve(msg.value as T); else reject(new Error(JSON.stringify(msg))); });
    ws.send(JSON.stringify({ t: 'invoke', id, cmd, args }));
  });
}

const request = {
  spec: TEMPLATES.find((t) => t.id === 'lenet')!.build({ inputShape: [28, 28, 1], classes: 10 }),
  data: DataConfigSchema.parse({ kind: 'image-folder', path: path.join(work, 'digits'), imageSize: [28, 28], channels: 1 }),
  training: TrainingConfigSchema.parse({ epochs: 8, batchSize: 16 }),
};

async function runOnce(subscribed: boolean): Promise<{ seconds: number; events: number }> {
  const start = performance.now();
  const { runId } = await invoke<{ runId: string }>('train.start', request);
  let events = 0;
  if (subscribed) {
    const id = nextId++;
    await new Promise<void>((resolve) => {
      pending.set(id, (msg) => {
        if (msg.t === 'event') events++;
        if (msg.t === 'end') { pending.delete(id); resolve(); }
      });
      ws.send(JSON.stringify({ t: 'subscribe', id, stream: 'train.events', args: { runId } }));
    });
  } else {
    for (;;) {
      const runs = await invoke<Array<{ runId: string; status: string }>>('runs.list', {});
      const status = runs.find((r) => r.runId === runId)?.status; // absent until the engine writes run.json
      if (status !== undefined && status !== 'running') break;
      await new Promise((r) => setTimeout(r, 20)); // polling adds at most this to the headless time
    }
  }
  return { seconds: (performance.now() - start) / 1000, events };
}

await runOnce(false); // warm-up: engine start, kernels, caches
const headless: number[] = [];
const subscribed: number[] = [];
for (let round = 0; round < 3; round++) {
  const h = await runOnce(false);
  headless.push(h.seconds);
  const s = await runOnce(true);
  subscribed.push(s.seconds);
  console.log(`round ${round + 1}: headless ${h.seconds.toFixed(2)} s · subscribed ${s.seconds.toFixed(2)} s (${s.events} events received)`);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
const ratio = median(subscribed) / median(headless);
console.log(`\nmedian headless ${median(headless).toFixed(2)} s, subscribed ${median(subscribed).toFixed(2)} s`);
console.log(`subscribed ÷ headless: ${ratio.toFixed(3)}  (target ≤ 1.03: ${ratio <= 1.03 ? 'met' : 'NOT met'})`);
ws.close();
await host.close();
engine.dispose();
fs.rmSync(work, { recursive: true, force: true });
