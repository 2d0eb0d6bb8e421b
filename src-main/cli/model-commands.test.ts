import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAYER_CATALOG } from '../../src-shared/layers/layer-catalog.ts';
import { TEMPLATES } from '../../src-shared/spec/templates.ts';
import { loadEngineBackend } from '../engine/backend/load-engine-backend.ts';
import { writeDigitFolder } from '../engine/testing/write-digit-folder.ts';
import { captureCli } from './capture-cli.ts';

let work: string;

const strata = captureCli;

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-model-cli-'));
  await writeDigitFolder(path.join(work, 'digits'), { perClass: 10, seed: 4 });
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('strata layers', () => {
  it('--json lists every catalog kind with its group, defaults and help', async () => {
    const { code, stdout } = await strata('layers', '--json');
    expect(code).toBe(0);
    const kinds = JSON.parse(stdout) as Array<{ kind: string; group: string; defaults: Record<string, unknown>; help: string }>;
    expect(kinds.map((k) => k.kind).sort()).toEqual([...LAYER_CATALOG.keys()].sort());
    expect(kinds.find((k) => k.kind === 'Conv2D')).toMatchObject({ group: 'Convolution', defaults: { filters: 32, kernel_size: [3, 3] } });
    for (const k of kinds) expect(k.help.length, k.kind).toBeGreaterThan(10);
  });

  it('prints a readable grouped list without --json', async () => {
    const { stdout } = await strata('layers');
    expect(stdout).toMatch(/^Pooling$/m);
    expect(stdout).toMatch(/^ {2}MaxPooling2D +Shrinks/m);
  });
});

describe('strata inspect', () => {
  it('prints shapes, parameters and FLOPs of a project made by strata new, checked against its data', async () => {
    const project = path.join(work, 'lenet.strata.json');
    expect((await strata('new', '--template', 'lenet', '--data', path.join(work, 'digits'), '--out', project)).code).toBe(0);
    const human = await strata('inspect', project);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('10 classes');
    expect(human.stdout).toMatch(/conv2d_1 +Conv2D +\(28, 28, 6\) +156/);
    expect(human.stdout).toContain('no problems');
    const json = await strata('inspect', project, '--json');
    const analysis = JSON.parse(json.stdout) as { classes: number; valid: boolean; totals: { trainable: number; flops: number } };
    expect(analysis).toMatchObject({ classes: 10, valid: true, totals: { trainable: 61_706 } });
    expect(analysis.totals.flops).toBeGreaterThan(100_000);
  });

  it('exits 1 and names the fix-it when the output does not fit the data', async () => {
    const project = path.join(work, 'wrong.strata.json');
    await strata('new', '--template', 'mlp', '--data', path.join(work, 'digits'), '--out', project);
    const doc = JSON.parse(fs.readFileSync(project, 'utf8')) as { model: { config: { layers: Array<{ name: string; config: Record<string, unknown> }> } } };
    doc.model.config.layers.at(-1)!.config.units = 7;
    fs.writeFileSync(project, JSON.stringify(doc));
    const { code, stdout } = await strata('inspect', project);
    expect(code).toBe(1);
    expect(stdout).toContain('[error] dense_2: The output dense_2 gives 7 values but the data has 10 classes');
    expect(stdout).toContain('fix-it: Set units to 10');
  });

  it('refuses a file that is not a project, naming it', async () => {
    const bogus = path.join(work, 'bogus.json');
    fs.writeFileSync(bogus, '{"hello": 1}');
    const { code, stderr } = await strata('inspect', bogus);
    expect(code).toBe(1);
    expect(stderr).toContain(`${bogus} is not a Strata project`);
  });
});

describe('strata import', () => {
  it('imports a functional model saved by tfjs (model.json) into a project that inspects clean, with tfjs\' parameter count', async () => {
    const { tf } = await loadEngineBackend();
    const input = tf.input({ shape: [12, 12, 2], name: 'pixels' });
    const stem = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', name: 'stem' }).apply(input) as ReturnType<typeof tf.input>;
    const branch = tf.layers.batchNormalization({ name: 'norm' }).apply(tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', name: 'branch' }).apply(stem)) as ReturnType<typeof tf.input>;
    const skip = tf.layers.add({ name: 'skip' }).apply([stem, branch]) as ReturnType<typeof tf.input>;
    const pooled = tf.layers.maxPooling2d({ poolSize: 2, name: 'pool' }).apply(skip) as ReturnType<typeof tf.input>;
    const flat = tf.layers.flatten({ name: 'flat' }).apply(pooled) as ReturnType<typeof tf.input>;
    const out = tf.layers.dense({ units: 3, activation: 'softmax', name: 'out' }).apply(tf.layers.dropout({ rate: 0.3, name: 'drop' }).apply(flat)) as ReturnType<typeof tf.input>;
    const model = tf.model({ inputs: input, outputs: out, name: 'saved_by_tfjs' });
    const dir = path.join(work, 'tfjs-model');
    await model.save(`file://${dir}`);

    const project = path.join(work, 'imported.strata.json');
    const imported = await strata('import', path.join(dir, 'model.json'), '--out', project);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain(`${model.countParams().toLocaleString('en-US')} parameters`);
    const inspected = await strata('inspect', project, '--json');
    expect(inspected.code).toBe(0);
    const analysis = JSON.parse(inspected.stdout) as { valid: boolean; totals: { trainable: number; nonTrainable: number }; nodes: Record<string, { outputShape: number[] }> };
    expect(analysis.valid).toBe(true);
    expect(analysis.totals.trainable + analysis.totals.nonTrainable).toBe(model.countParams());
    expect(analysis.nodes.skip!.outputShape).toEqual([12, 12, 4]);
    expect(fs.existsSync(path.join(work, 'imported.weights', 'weights.bin'))).toBe(true);

    // A second import to the same place would replace those weights: only with --force.
    fs.rmSync(project);
    const again = await strata('import', path.join(dir, 'model.json'), '--out', project);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/imported\.weights already exists .*--force/);
    expect((await strata('import', path.join(dir, 'model.json'), '--out', project, '--force')).code).toBe(0);
    model.dispose();
  });

  it('refuses a file that is not a model, or one with layers Strata lacks, naming them', async () => {
    const notJson = path.join(work, 'broken.json');
    fs.writeFileSync(notJson, '{"class_name": "Sequential", "config": ');
    const broken = await strata('import', notJson, '--out', path.join(work, 'b.strata.json'));
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain(`${notJson} is not JSON`);
    const odd = path.join(work, 'odd.json');
    fs.writeFileSync(odd, JSON.stringify({ class_name: 'Sequential', config: { layers: [
      { class_name: 'InputLayer', config: { name: 'in', batch_shape: [null, 4] } },
      { class_name: 'GaussianNoise', config: { name: 'noise', stddev: 0.1 } },
    ] } }));
    const refused = await strata('import', odd, '--out', path.join(work, 'o.strata.json'));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('1 layer(s) have no Strata equivalent yet: noise (GaussianNoise)');
    expect(fs.existsSync(path.join(work, 'o.strata.json'))).toBe(false); // nothing half-written
  });
});

describe('strata new with every template', () => {
  it('creates a valid project from each template', async () => {
    for (const t of TEMPLATES) {
      const project = path.join(work, `from-${t.id}.strata.json`);
      const created = await strata('new', '--template', t.id, '--data', path.join(work, 'digits'), '--out', project);
      expect(created.code, `${t.id}: ${created.stderr}`).toBe(0);
      const doc = JSON.parse(fs.readFileSync(project, 'utf8')) as { model: { config: { layers: unknown[] } } };
      expect(doc.model.config.layers.length, t.id).toBeGreaterThan(0);
    }
  });
});
