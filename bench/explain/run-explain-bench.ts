// `npm run bench:explain`: the time one attribution map takes, per method, on the native
// engine — on a LeNet-size model (28×28×1) and on the small ResNet template (32×32×3), both
// freshly initialised (the work per map does not depend on what the weights are). Each
// method is warmed up, then timed over several rounds; the table shows the median against
// the targets: vanilla gradient and Grad-CAM < 20 ms, SmoothGrad-50 and IG-50 < 500 ms per
// image (occlusion is reported without a target). Exit code 1 when a target is missed.
import os from 'node:os';
import { ExplainOptionsSchema, type ExplainMethod, type ExplainOptions } from '../../src-shared/contract/explanation.ts';
import type { ModelSpec } from '../../src-shared/spec/model-spec.ts';
import { TEMPLATES } from '../../src-shared/spec/templates.ts';
import { seededRandom } from '../../src-shared/util/seeded-random.ts';
import { loadEngineBackend } from '../../src-main/engine/backend/load-engine-backend.ts';
import { buildModel } from '../../src-main/engine/compile/compile-model.ts';
import { attribute } from '../../src-main/engine/explain/attribution-maps.ts';

const WARMUP = 3;
const ROUNDS = 15;

interface Case {
  label: string;
  method: ExplainMethod;
  options: ExplainOptions;
  targetMs: number | null;
}

const CASES: Case[] = [
  { label: 'vanilla gradient', method: 'vanilla', options: ExplainOptionsSchema.parse({}), targetMs: 20 },
  { label: 'Grad-CAM (last conv)', method: 'gradcam', options: ExplainOptionsSchema.parse({}), targetMs: 20 },
  { label: 'SmoothGrad-50', method: 'smoothgrad', options: ExplainOptionsSchema.parse({ smoothgrad: { samples: 50 } }), targetMs: 500 },
  { label: 'Integrated Gradients-50', method: 'integrated-gradients', options: ExplainOptionsSchema.parse({ integratedGradients: { steps: 50 } }), targetMs: 500 },
  { label: 'occlusion (default patch)', method: 'occlusion', options: ExplainOptionsSchema.parse({}), targetMs: null },
];

const MODELS: { label: string; shape: [number, number, number]; spec: ModelSpec }[] = [
  { label: 'LeNet 28×28×1', shape: [28, 28, 1], spec: TEMPLATES.find((t) => t.id === 'lenet')!.build({ inputShape: [28, 28, 1], classes: 10 }) },
  { label: 'small ResNet 32×32×3', shape: [32, 32, 3], spec: TEMPLATES.find((t) => t.id === 'resnet')!.build({ inputShape: [32, 32, 3], classes: 10 }) },
];

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

const { tf, name: backend } = await loadEngineBackend();
console.log(`backend: ${backend}; ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}); median of ${ROUNDS} rounds after ${WARMUP} warm-up calls\n`);
const rows: string[][] = [['model', 'method', 'median ms', 'min ms', 'target', 'verdict']];
let missed = 0;
for (const { label, shape, spec } of MODELS) {
  const model = buildModel(tf, spec);
  const random = seededRandom(11);
  const pixels = Float32Array.from({ length: shape[0] * shape[1] * shape[2] }, () => random());
  for (const c of CASES) {
    const run = () => attribute(tf, model, spec, pixels, shape, 3, c.method, c.options);
    for (let i = 0; i < WARMUP; i++) run();
    const times: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const start = performance.now();
      run();
      times.push(performance.now() - start);
    }
    const ms = median(times);
    const verdict = c.targetMs === null ? '—' : ms < c.targetMs ? 'PASS' : 'MISS';
    if (verdict === 'MISS') missed++;
    rows.push([label, c.label, ms.toFixed(1), Math.min(...times).toFixed(1), c.targetMs === null ? '—' : `< ${c.targetMs}`, verdict]);
  }
  model.dispose();
}
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
for (const [k, row] of rows.entries()) {
  console.log(row.map((cell, i) => (i >= 2 && i <= 3 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  '));
  if (k === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
}
console.log(`\n${missed === 0 ? 'all targets met' : `${missed} target(s) missed`}; tensors alive at the end: ${tf.memory().numTensors}`);
process.exitCode = missed === 0 ? 0 : 1;
