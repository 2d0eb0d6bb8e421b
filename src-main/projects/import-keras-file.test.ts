import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type * as tfType from '@tensorflow/tfjs';
import h5wasmNode from 'h5wasm/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chain, getTemplate } from '../../src-shared/spec/templates.ts';
import { loadEngineBackend, type Tf } from '../engine/backend/load-engine-backend.ts';
import { buildModel } from '../engine/compile/compile-model.ts';
import { writeKerasFile } from '../engine/export/keras/keras-file.ts';
import { findPythonKeras, pythonKerasMissing } from '../engine/export/python-runtime.ts';
import { applyModelWeights, modelWeightsOf, type LayerWeight } from '../engine/io/model-weights.ts';
import { importModelWithWeights, type ImportedModel } from './import-model-file.ts';

let tf: Tf;
let work: string;
beforeAll(async () => {
  ({ tf } = await loadEngineBackend());
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-import-keras-'));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

async function refusal(file: string): Promise<{ code: string; message: string }> {
  try {
    await importModelWithWeights(file);
  } catch (err) {
    return err as { code: string; message: string };
  }
  throw new Error(`${file} was expected to be refused`);
}

/** Builds the imported spec in tfjs and loads the imported weights; every weighted layer must load. */
function loadImported(imported: ImportedModel): tfType.LayersModel {
  const model = buildModel(tf, imported.spec);
  const { loaded, skipped } = applyModelWeights(tf, model, imported.weights!);
  expect(skipped).toEqual([]);
  expect(loaded).toEqual(model.layers.filter((l) => l.weights.length > 0).map((l) => l.name));
  return model;
}

const byteEqual = (a: readonly LayerWeight[], b: readonly LayerWeight[]) =>
  a.length === b.length && a.every((w, i) => w.layer === b[i]!.layer && Buffer.from(w.values.buffer).equals(Buffer.from(b[i]!.values.buffer)));

describe('Keras files Strata writes itself (no Python needed)', () => {
  it('reads back a .keras file written by the Keras export: same weights, byte for byte, in tfjs order', async () => {
    for (const id of ['lenet', 'resnet', 'lstm-forecast']) {
      const spec = getTemplate(id)!.build();
      const model = buildModel(tf, spec);
      const file = path.join(work, `${id}.keras`);
      await writeKerasFile(tf, model, spec, file);
      const imported = await importModelWithWeights(file);
      expect(imported.source).toBe('keras-zip');
      const original = modelWeightsOf(model);
      expect(byteEqual(imported.weights!, original), id).toBe(true);
      loadImported(imported).dispose();
      model.dispose();
    }
  });

  it('reads a legacy .h5 (model_config + model_weights) and refuses one whose dataset shapes disagree with the layers', async () => {
    const spec = chain('legacy', [6], [['Dense', { units: 4 }], ['BatchNormalization', {}], ['Dense', { units: 3, activation: 'softmax' }]]);
    const model = buildModel(tf, spec);
    const weights = modelWeightsOf(model);
    const dense = spec.config.layers[1]!.name;
    /** Writes the model as tf.keras 2 would; `kernel` may change how the first Dense kernel is stored. */
    const writeH5 = async (name: string, kernel: 'as-is' | 'transposed' | 'external-link' = 'as-is') => {
      await h5wasmNode.ready;
      const file = path.join(work, name);
      const h5 = new h5wasmNode.File(file, 'w');
      h5.create_attribute('model_config', JSON.stringify(model.toJSON(null, false)));
      const root = h5.create_group('model_weights');
      for (const layer of model.layers) {
        const group = root.create_group(layer.name);
        const own = weights.filter((w) => w.layer === layer.name);
        // tf.keras 2 names them "<layer>/<variable>:0" and stores them under that path.
        const names = own.map((w) => `${layer.name}/${w.name}:0`);
        group.create_attribute('weight_names', names.length > 0 ? names : new Float64Array(0));
        const sub = own.length > 0 ? group.create_group(layer.name) : null;
        own.forEach((w, i) => {
          const leaf = names[i]!.split('/')[1]!;
          const first = layer.name === dense && w.name === 'kernel';
          if (first && kernel === 'external-link') {
            // The values are elsewhere on disk (another HDF5 file with the right shape).
            const other = new h5wasmNode.File(path.join(work, 'elsewhere.h5'), 'w');
            other.create_dataset({ name: 'kernel', data: w.values, shape: w.shape, dtype: '<f' });
            other.close();
            sub!.create_external_link(path.join(work, 'elsewhere.h5'), 'kernel', leaf);
          } else {
            sub!.create_dataset({ name: leaf, data: w.values, shape: first && kernel === 'transposed' ? [...w.shape].reverse() : w.shape, dtype: '<f' });
          }
        });
      }
      h5.close();
      return file;
    };
    const imported = await importModelWithWeights(await writeH5('legacy.h5'));
    expect(imported.source).toBe('keras-h5');
    expect(byteEqual(imported.weights!, weights)).toBe(true);
    expect(imported.weights!.map((w) => w.name)).toEqual(weights.map((w) => w.name));

    expect(await refusal(await writeH5('legacy-transposed.h5', 'transposed'))).toMatchObject({
      code: 'MODEL_IMPORT_REFUSED',
      message: expect.stringContaining(`layer ${dense} (Dense): model_weights/${dense}/${dense}/kernel:0 has shape (4, 6) in the file, but the layer as configured needs kernel of shape (6, 4)`),
    });
    // Links out of the file are never followed: the weight counts as missing.
    expect(await refusal(await writeH5('legacy-linked.h5', 'external-link'))).toMatchObject({
      code: 'MODEL_IMPORT_REFUSED',
      message: expect.stringContaining(`model_weights/${dense} lists the weight ${dense}/kernel:0 but has no such dataset`),
    });
    model.dispose();
  });
});

// The same models as Keras saves them, made by the Python venv (`npm run setup:python`):
// a functional CNN and a Sequential LSTM, each as .keras and legacy .h5, their weights
// perturbed so batch norm and biases matter, with Keras' predictions written beside.
const PYTHON_MODELS = String.raw`
import os, sys, json
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import numpy as np, keras
out = sys.argv[1]
rng = np.random.default_rng(11)

def perturb(model):
    for layer in model.layers:
        values = layer.get_weights()
        if not values: continue
        fresh = []
        for var, v in zip(layer.weights, values):
            r = rng.normal(0, 0.4, v.shape)
            if "variance" in var.path: r = np.abs(r) + 0.5
            fresh.append(r.astype(v.dtype))
        layer.set_weights(fresh)

def save(model, name, x, formats=("keras", "h5")):
    perturb(model)
    for f in formats: model.save(f"{out}/{name}.{f}")
    y = model.predict(x, verbose=0)
    weights = [[w.path, np.asarray(w.numpy(), dtype=np.float64).ravel().tolist()] for w in model.weights]
    json.dump({"input": x.tolist(), "output": y.tolist(), "weights": weights}, open(f"{out}/{name}.io.json", "w"))

img = keras.Input((12, 12, 2), name="img")
h = keras.layers.Conv2D(6, 3, padding="same", activation="relu")(img)
h = keras.layers.BatchNormalization()(h)
h = keras.layers.MaxPooling2D()(h)
h = keras.layers.DepthwiseConv2D(3, depth_multiplier=2, activation="tanh")(h)
h = keras.layers.Flatten()(h)
h = keras.layers.Dropout(0.3)(h)
cnn = keras.Model(img, keras.layers.Dense(5, activation="softmax")(h), name="small_cnn")
save(cnn, "cnn", rng.normal(size=(4, 12, 12, 2)).astype("float32"))

lstm = keras.Sequential([
    keras.Input((7, 3)),
    keras.layers.LSTM(6, return_sequences=True),
    keras.layers.Bidirectional(keras.layers.LSTM(4)),
    keras.layers.Dense(2),
], name="small_lstm")
save(lstm, "lstm", rng.normal(size=(4, 7, 3)).astype("float32"))

# Keras 3's default GRU (reset_after=True), which tfjs cannot run.
gru = keras.Sequential([keras.Input((5, 2)), keras.layers.GRU(3), keras.layers.Dense(1)], name="gru")
save(gru, "gru", rng.normal(size=(2, 5, 2)).astype("float32"), formats=("keras",))

# Weights stored as float16 and float64.
mixed = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, dtype="float16"), keras.layers.Dense(2, dtype="float64")], name="mixed")
save(mixed, "mixed", rng.normal(size=(2, 4)).astype("float32"), formats=("keras", "h5"))
print("ok")
`;

interface PythonIo {
  input: number[];
  output: number[][];
  weights: Array<[string, number[]]>;
}

const python = findPythonKeras();
const requirePython = process.env.STRATA_REQUIRE_PYTHON === '1';
if (!python && !requirePython) console.log(`Skipping the checks on Keras-made files: ${pythonKerasMissing()}`);

/** Runs the script once for all models (one Python start-up, about 8 s). */
function makePythonModels(): string {
  if (!python) throw new Error(`STRATA_REQUIRE_PYTHON=1 but ${pythonKerasMissing()}`);
  const dir = path.join(work, 'python');
  fs.mkdirSync(dir);
  const script = path.join(dir, 'make_models.py');
  fs.writeFileSync(script, PYTHON_MODELS);
  const run = spawnSync(python.python, [script, dir], { encoding: 'utf8', timeout: 240_000, env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3', CUDA_VISIBLE_DEVICES: '' } });
  if (run.status !== 0 || !run.stdout.includes('ok')) throw new Error(`the Keras model script failed (${run.status}):\n${run.stderr.slice(-3000)}`);
  return dir;
}

const readIo = (dir: string, name: string) => JSON.parse(fs.readFileSync(path.join(dir, `${name}.io.json`), 'utf8')) as PythonIo;

function maxDifference(a: ArrayLike<number>, b: readonly number[]): number {
  expect(a.length).toBe(b.length);
  return b.reduce((m, v, i) => Math.max(m, Math.abs(v - a[i]!)), 0);
}

describe.skipIf(!python && !requirePython)('Keras files Keras itself saved (model.save, made by the Python venv)', () => {
  let dir: string;
  beforeAll(() => {
    dir = makePythonModels();
  });

  it('imports the CNN and the LSTM from .keras and .h5, and tfjs predicts what Keras predicted within 1e-4', async () => {
    for (const name of ['cnn', 'lstm']) {
      const io = readIo(dir, name);
      for (const ext of ['keras', 'h5']) {
        const imported = await importModelWithWeights(path.join(dir, `${name}.${ext}`));
        expect(imported.source).toBe(ext === 'keras' ? 'keras-zip' : 'keras-h5');
        // Every Keras variable arrives once, in the same order (Keras' order is tfjs' order).
        expect(imported.weights!.map((w) => Array.from(w.values))).toEqual(io.weights.map(([, v]) => Array.from(Float32Array.from(v))));
        const model = loadImported(imported);
        const x = tf.tensor(io.input as never);
        const y = model.predict(x) as tfType.Tensor;
        expect(maxDifference(y.dataSync(), io.output.flat()), `${name}.${ext}`).toBeLessThan(1e-4);
        tf.dispose([x, y]);
        model.dispose();
      }
    }
  });

  it('converts float16 and float64 weights to float32, and refuses a GRU saved with reset_after=True, saying why', async () => {
    const io = readIo(dir, 'mixed');
    for (const ext of ['keras', 'h5']) {
      const imported = await importModelWithWeights(path.join(dir, `mixed.${ext}`));
      expect(imported.weights!.map((w) => Array.from(w.values))).toEqual(io.weights.map(([, v]) => Array.from(Float32Array.from(v))));
      expect(imported.notes).toContain('float16, float64 weights converted to float32');
    }
    const refused = await refusal(path.join(dir, 'gru.keras'));
    expect(refused.code).toBe('MODEL_IMPORT_REFUSED');
    expect(refused.message).toContain('layer gru (GRU): layers/gru/cell/vars/2 has shape (2, 9) in the file, but the layer as configured needs bias of shape (9) — the GRU was saved with reset_after=True');
  });
});
