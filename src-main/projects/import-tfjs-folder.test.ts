import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getLayerKind } from '../../src-shared/layers/layer-catalog.ts';
import type { ModelSpec } from '../../src-shared/spec/model-spec.ts';
import { chain, TEMPLATES } from '../../src-shared/spec/templates.ts';
import { loadEngineBackend, type Tf } from '../engine/backend/load-engine-backend.ts';
import { buildModel } from '../engine/compile/compile-model.ts';
import { saveModelFolder } from '../engine/io/model-folder.ts';
import { applyModelWeights, modelWeightsOf } from '../engine/io/model-weights.ts';
import { importModelWithWeights } from './import-model-file.ts';

let tf: Tf;
let work: string;
beforeAll(async () => {
  ({ tf } = await loadEngineBackend());
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-import-tfjs-'));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/**
 * A spec's layers as the graph sees them: names, kinds, wiring and parsed parameters. A
 * pooling layer's strides null means "the pool size", which tfjs writes out.
 */
const layersOf = (spec: ModelSpec) => spec.config.layers.map((l) => {
  const params = getLayerKind(l.class_name)!.params.parse(l.config);
  if ('pool_size' in params && params.strides === null) params.strides = params.pool_size;
  return { name: l.name, class_name: l.class_name, inbound: l.inbound, params };
});

/** Inputs for a model: word ids below the vocabulary for an Embedding, otherwise normal noise. */
function sampleInputs(spec: ModelSpec, model: ReturnType<typeof buildModel>) {
  const embedding = spec.config.layers.find((l) => l.class_name === 'Embedding');
  return model.inputs.map((input) => {
    const shape = [3, ...input.shape.slice(1)] as number[];
    return embedding ? tf.randomUniform(shape, 0, Number(embedding.config.input_dim), 'int32').toFloat() : tf.randomNormal(shape, 0, 1, 'float32', 7);
  });
}

async function rejection(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (err) {
    return err as { code: string; message: string };
  }
  throw new Error('the import was expected to be refused');
}

describe('importing a tfjs layers model folder with its weights', () => {
  it('round-trips every template: same layers, byte-equal weights, every layer loaded, same predictions', async () => {
    for (const template of TEMPLATES) {
      const spec = template.build();
      const model = buildModel(tf, spec);
      const dir = path.join(work, `template-${template.id}`);
      await saveModelFolder(tf, model, dir);

      const imported = await importModelWithWeights(path.join(dir, 'model.json'));
      expect(imported.source).toBe('tfjs');
      expect(layersOf(imported.spec), template.id).toEqual(layersOf(spec));
      const original = modelWeightsOf(model);
      expect(imported.weights!.map((w) => [w.layer, w.name, w.shape]), template.id).toEqual(original.map((w) => [w.layer, w.name, w.shape]));
      imported.weights!.forEach((w, i) => expect(Buffer.from(w.values.buffer).equals(Buffer.from(original[i]!.values.buffer)), `${template.id} ${w.layer}/${w.name}`).toBe(true));

      const rebuilt = buildModel(tf, imported.spec);
      const { loaded, skipped } = applyModelWeights(tf, rebuilt, imported.weights!);
      expect(skipped).toEqual([]);
      expect(loaded).toEqual(model.layers.filter((l) => l.weights.length > 0).map((l) => l.name));
      const inputs = sampleInputs(spec, model);
      const [a, b] = [model.predict(inputs), rebuilt.predict(inputs)] as [import('@tensorflow/tfjs').Tensor, import('@tensorflow/tfjs').Tensor];
      expect(Array.from(b.dataSync()), template.id).toEqual(Array.from(a.dataSync()));
      tf.dispose([...inputs, a, b]);
      model.dispose();
      rebuilt.dispose();
    }
  });

  it('reads a folder passed as the folder, and a model.json without weights as a topology only', async () => {
    const dir = path.join(work, 'template-mlp');
    const viaFolder = await importModelWithWeights(dir);
    expect(viaFolder.weights?.length).toBeGreaterThan(0);
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')) as Record<string, unknown>;
    delete json.weightsManifest;
    const bare = path.join(work, 'bare.json');
    fs.writeFileSync(bare, JSON.stringify(json));
    const topologyOnly = await importModelWithWeights(bare);
    expect({ source: topologyOnly.source, weights: topologyOnly.weights }).toEqual({ source: 'tfjs', weights: null });
    expect(topologyOnly.notes[0]).toContain('no weightsManifest');
  });
});

/** A small model saved by tfjs; `edit` changes its model.json and folder before the import. */
async function craftedFolder(name: string, edit: (json: { weightsManifest: Array<{ paths: string[]; weights: Array<Record<string, unknown>> }> }, dir: string) => void): Promise<string> {
  const dir = path.join(work, name);
  const model = buildModel(tf, chain('small', [4], [['Dense', { units: 3 }], ['Dense', { units: 2, activation: 'softmax' }]]));
  await saveModelFolder(tf, model, dir);
  model.dispose();
  const file = path.join(dir, 'model.json');
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  edit(json, dir);
  fs.writeFileSync(file, JSON.stringify(json));
  return file;
}

describe('refusing a tfjs model folder that could read other files or does not add up', () => {
  it('refuses weight paths that are absolute, climb out with .., or link outside the folder', async () => {
    const absolute = await craftedFolder('absolute', (json) => { json.weightsManifest[0]!.paths = ['/etc/passwd']; });
    const dotdot = await craftedFolder('dotdot', (json) => { json.weightsManifest[0]!.paths = ['../x.bin']; });
    const outside = path.join(work, 'outside.bin');
    const linked = await craftedFolder('linked', (json, dir) => {
      fs.copyFileSync(path.join(dir, 'weights.bin'), outside);
      fs.symlinkSync(outside, path.join(dir, 'link.bin'));
      json.weightsManifest[0]!.paths = ['./link.bin'];
    });
    const refusals = await Promise.all([absolute, dotdot, linked].map((f) => rejection(importModelWithWeights(f))));
    expect(refusals.map((r) => r.code)).toEqual(['MODEL_IMPORT_REFUSED', 'MODEL_IMPORT_REFUSED', 'MODEL_IMPORT_REFUSED']);
    expect(refusals[0]!.message).toBe(`${absolute}: weightsManifest names the weight file "/etc/passwd" by an absolute path or URL; Strata reads only files in the model's folder. A tfjs model keeps its weight files beside model.json, named plainly ("group1-shard1of1.bin"); fix the paths in weightsManifest or save the model again`);
    expect(refusals[1]!.message).toContain(`${dotdot}: weightsManifest names the weight file "../x.bin", which climbs out of the model's folder with ".."`);
    expect(refusals[2]!.message).toContain(`${linked}: the weight file "./link.bin" is a link to ${fs.realpathSync(outside)}, outside the model's folder`);
  });

  it('refuses a truncated shard, a size claim beyond the limit, and weights whose shapes disagree with the layers', async () => {
    const truncated = await craftedFolder('truncated', (_json, dir) => {
      const bin = path.join(dir, 'weights.bin');
      fs.truncateSync(bin, fs.statSync(bin).size - 4);
    });
    const oversized = await craftedFolder('oversized', (json) => { json.weightsManifest[0]!.weights[0]!.shape = [100000, 100000]; });
    const transposed = await craftedFolder('transposed', (json) => { json.weightsManifest[0]!.weights[0]!.shape = [3, 4]; });
    const stranger = await craftedFolder('stranger', (json) => { json.weightsManifest[0]!.weights[0]!.name = 'elsewhere/kernel'; });
    const [t, o, s, n] = await Promise.all([truncated, oversized, transposed, stranger].map((f) => rejection(importModelWithWeights(f))));
    // 4·3 + 3 + 3·2 + 2 = 23 float32 values.
    expect(t).toMatchObject({ code: 'MODEL_IMPORT_REFUSED', message: expect.stringContaining(`${truncated}: its weightsManifest declares 92 bytes of weights (4 arrays by their shapes and dtypes) in ./weights.bin, but that file holds 88 bytes.`) });
    expect(o).toMatchObject({ code: 'MODEL_IMPORT_REFUSED', message: expect.stringContaining('of shape (100000, 100000), which brings the weights to 37.3 GiB, beyond the 2.0 GiB Strata reads') });
    expect(s).toMatchObject({ code: 'MODEL_IMPORT_REFUSED', message: expect.stringMatching(/: kernel has shape \(3, 4\) in the file, but the layer as configured needs kernel of shape \(4, 3\)/) });
    expect(n).toMatchObject({ code: 'MODEL_IMPORT_REFUSED', message: expect.stringContaining('has the weight elsewhere/kernel, which names no layer') });
  });

  it('converts int32 and float16/uint8-quantized weights to float32 and refuses dtypes layers cannot hold', async () => {
    // The first Dense: kernel 4×3 as float16, bias as int32; the second: kernel uint8-quantized, bias float32.
    const half = [0x3800, 0xbd00, 0x4000, 0x3400, 0, 0x3c00, 0xc000, 0x3800, 0x3800, 0x3400, 0xbc00, 0x4200]; // 0.5, -1.25, 2, 0.25, 0, 1, -2, 0.5, 0.5, 0.25, -1, 3
    const file = await craftedFolder('dtypes', (json, dir) => {
      const [k1, b1, k2, b2] = json.weightsManifest[0]!.weights as Array<Record<string, unknown>>;
      Object.assign(k1!, { quantization: { dtype: 'float16' } });
      Object.assign(b1!, { dtype: 'int32' });
      Object.assign(k2!, { quantization: { dtype: 'uint8', scale: 0.5, min: -1 } });
      const bytes = Buffer.concat([
        Buffer.from(new Uint16Array(half).buffer), Buffer.from(new Int32Array([1, -3, 7]).buffer),
        Buffer.from(new Uint8Array([0, 1, 2, 3, 4, 5])), Buffer.from(new Float32Array([0.125, -0.5]).buffer),
      ]);
      fs.writeFileSync(path.join(dir, 'weights.bin'), bytes);
    });
    const imported = await importModelWithWeights(file);
    expect(imported.weights!.map((w) => Array.from(w.values))).toEqual([
      [0.5, -1.25, 2, 0.25, 0, 1, -2, 0.5, 0.5, 0.25, -1, 3], [1, -3, 7], [-1, -0.5, 0, 0.5, 1, 1.5], [0.125, -0.5],
    ]);
    expect(imported.notes).toContain('float16-quantized, int32, uint8-quantized weights converted to float32');

    const bool = await craftedFolder('bool', (json) => { Object.assign(json.weightsManifest[0]!.weights[1]!, { dtype: 'bool' }); });
    expect(await rejection(importModelWithWeights(bool))).toMatchObject({
      code: 'MODEL_IMPORT_REFUSED', message: expect.stringContaining('is of dtype bool; layer weights are float32 (Strata converts int32 and float16-quantized ones)'),
    });
  });
});
