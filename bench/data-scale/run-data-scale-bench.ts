// `npm run bench:data-scale`: the same training run on the same real image folder with its
// decoded samples kept in memory and streamed from the decoded-sample cache on disk, legs
// alternating in fresh processes; prints training samples/s (second epoch), peak RSS and
// the ratio disk ÷ memory (target ≥ 0.8×). The disk leg runs with a memory budget a tenth
// of the decoded dataset (STRATA_DATA_MEMORY_MB) and `storage: auto`, so it is the path a
// dataset ten times larger than the engine's memory takes.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeDigitFolder } from '../../src-main/engine/testing/write-digit-folder.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const folder = path.join(root, 'bench/.results/digits-8k');
const SIDE = 64;
const IMAGES = 8000;
const decodedMB = (IMAGES * SIDE * SIDE * 3 * 4) / 2 ** 20;

if (!fs.existsSync(path.join(folder, '9'))) {
  console.log('writing 8,000 real digits as PNG files into bench/.results/digits-8k (once)…');
  await writeDigitFolder(folder, { perClass: 800, seed: 1 });
}
console.log(`dataset: ${IMAGES} digits read as ${SIDE}×${SIDE}×3 = ${decodedMB.toFixed(0)} MB of float samples`);

interface Leg { storage: string; dataLine: string; samplesPerSec: number; epochSeconds: number; totalSeconds: number; maxRssMB: number }

function leg(storage: 'memory' | 'auto'): Leg | null {
  const budget = storage === 'auto' ? { STRATA_DATA_MEMORY_MB: String(Math.floor(decodedMB / 10)) } : {};
  process.stdout.write(`${storage === 'memory' ? 'in memory' : `streamed (budget ${budget.STRATA_DATA_MEMORY_MB} MB)`}… `);
  const r = spawnSync(process.execPath, [path.join(root, 'bin/run-ts.mjs'), path.join(here, 'scale-worker.ts'), folder, storage, String(SIDE)], {
    encoding: 'utf8', maxBuffer: 16 << 20, env: { ...process.env, ...budget },
  });
  const line = r.stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (r.status !== 0 || !line) {
    console.log(`failed: ${(r.stderr || String(r.error)).trim().split('\n').slice(-3).join(' | ')}`);
    return null;
  }
  const result = JSON.parse(line) as Leg;
  console.log(`${result.samplesPerSec.toFixed(0)} samples/s, peak RSS ${result.maxRssMB.toFixed(0)} MB (${result.dataLine})`);
  return result;
}

const ROUNDS = 3;
const memory: Leg[] = [];
const disk: Leg[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const m = leg('memory');
  if (m) memory.push(m);
  const d = leg('auto');
  if (d) disk.push(d);
}
const median = (legs: Leg[]) => [...legs].sort((a, b) => a.samplesPerSec - b.samplesPerSec)[Math.floor(legs.length / 2)];
const m = median(memory);
const d = median(disk);
if (m && d) {
  const ratio = d.samplesPerSec / m.samplesPerSec;
  console.log(`\nin memory: median ${m.samplesPerSec.toFixed(0)} samples/s, peak RSS ${m.maxRssMB.toFixed(0)} MB`);
  console.log(`streamed:  median ${d.samplesPerSec.toFixed(0)} samples/s, peak RSS ${d.maxRssMB.toFixed(0)} MB`);
  console.log(`streamed ÷ in memory: ${ratio.toFixed(2)}×  (target ≥ 0.8×: ${ratio >= 0.8 ? 'met' : 'NOT met'})`);
  console.log(`peak RSS saved by streaming: ${(m.maxRssMB - d.maxRssMB).toFixed(0)} MB of ${decodedMB.toFixed(0)} MB decoded`);
}
