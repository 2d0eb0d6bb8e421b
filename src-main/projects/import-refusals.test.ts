import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importModelFile, importModelWithWeights } from './import-model-file.ts';
import { jsonNestingDepth } from './import-limits.ts';

// Files crafted to be refused: code inside the config, kinds Strata lacks, JSON and zip
// archives built to exhaust memory or the stack, and archive entries that climb out.

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'src-shared', 'spec', 'fixtures');
type KerasLayer = { module?: string; class_name: string; config: Record<string, unknown>; registered_name?: string | null };
const mnistCnn = () => JSON.parse(fs.readFileSync(path.join(fixtures, 'keras3-sequential-mnist-cnn.json'), 'utf8')) as { config: { layers: KerasLayer[] } };

let work: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-import-refusals-'));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function write(name: string, content: string | Uint8Array): string {
  const file = path.join(work, name);
  fs.writeFileSync(file, content);
  return file;
}

interface Refusal { code: string; message: string; details?: unknown }

async function refusal(file: string): Promise<Refusal> {
  try {
    await importModelWithWeights(file);
  } catch (err) {
    return err as Refusal;
  }
  throw new Error(`${file} was expected to be refused`);
}

/** Each file's refusal, in order. */
const refusals = <T extends string[]>(...files: T) => Promise.all(files.map(refusal)) as Promise<{ [K in keyof T]: Refusal }>;

/** The MNIST CNN config with its third layer (conv2d_1) replaced. */
function withLayer(layer: KerasLayer): string {
  const json = mnistCnn();
  json.config.layers[2] = layer;
  return JSON.stringify(json);
}

describe('refusing model configs that carry code or kinds Strata lacks', () => {
  it('refuses Lambda and TFOpLambda layers (Keras 3 and Keras 2 forms), naming the layer', async () => {
    const keras3 = write('lambda3.json', withLayer({ module: 'keras.layers', class_name: 'Lambda', config: { name: 'double', function: { module: 'builtins', class_name: 'function', config: 'lambda', registered_name: 'function' } }, registered_name: null }));
    const keras2 = write('lambda2.json', withLayer({ class_name: 'Lambda', config: { name: 'shift', function: ['4wEAAAAAAAAA', null, null], function_type: 'lambda', module: '__main__' } }));
    const tfop = write('tfop.json', withLayer({ class_name: 'TFOpLambda', config: { name: 'tf.math.add', function: 'math.add' } }));
    const [a, b, c] = await refusals(keras3, keras2, tfop);
    expect(a).toMatchObject({ code: 'MODEL_IMPORT_REFUSED', details: { layer: 'double (Lambda)' } });
    expect(a.message).toBe(`${keras3}: layer double (Lambda) is a Lambda layer, which holds Python code; Strata never runs code from a model file. Replace it in the source model with built-in Keras layers (or remove it), save the model again and import that file`);
    expect(b.message).toContain('layer shift (Lambda) is a Lambda layer, which holds Python code');
    expect(c.message).toContain('layer tf.math.add (TFOpLambda) is a TFOpLambda layer');
  });

  it('refuses classes from modules outside Keras, registered custom objects and function-valued settings', async () => {
    const foreign = write('foreign.json', withLayer({ module: 'my_lab.layers', class_name: 'Conv2D', config: { name: 'fancy', filters: 4 }, registered_name: null }));
    const registered = write('registered.json', withLayer({ module: 'keras.layers', class_name: 'Conv2D', config: { name: 'mine', filters: 4 }, registered_name: 'MyLab>Conv2D' }));
    const fn = write('function.json', withLayer({ module: 'keras.layers', class_name: 'Conv2D', config: { name: 'act', filters: 4, activation: { module: 'builtins', class_name: 'function', config: 'swishy', registered_name: 'function' } }, registered_name: null }));
    const [a, b, c] = await refusals(foreign, registered, fn);
    expect([a.code, b.code, c.code]).toEqual(['MODEL_IMPORT_REFUSED', 'MODEL_IMPORT_REFUSED', 'MODEL_IMPORT_REFUSED']);
    expect(a.message).toContain('fancy (Conv2D) comes from the Python module "my_lab.layers", not from Keras');
    expect(b.message).toContain('mine (Conv2D) is the custom object "MyLab>Conv2D" registered by a Python package');
    expect(c.message).toContain('act (Conv2D) has a Python function as a setting (swishy)');
  });

  it('refuses layer kinds Strata lacks with MODEL_IMPORT_REFUSED, listing them; the sync importModelFile refuses the same', async () => {
    const odd = write('unknown.json', withLayer({ module: 'keras.layers', class_name: 'GaussianNoise', config: { name: 'noise', stddev: 0.1 }, registered_name: null }));
    const refused = await refusal(odd);
    expect(refused).toMatchObject({ code: 'MODEL_IMPORT_REFUSED', details: { unsupported: ['GaussianNoise'] } });
    expect(refused.message).toContain(`${odd}: 1 layer(s) have no Strata equivalent yet: noise (GaussianNoise).`);
    expect(() => importModelFile(odd)).toThrow(expect.objectContaining({ code: 'MODEL_IMPORT_REFUSED' }));
    // The untouched fixture imports, config only, with the note saying why there are no weights.
    const clean = await importModelWithWeights(write('clean.json', JSON.stringify(mnistCnn())));
    expect({ source: clean.source, weights: clean.weights, layers: clean.spec.config.layers.length }).toEqual({ source: 'keras-json', weights: null, layers: 9 });
    expect(clean.notes[0]).toMatch(/^a Keras model config holds no weights/);
  });
});

describe('refusing JSON built to exhaust memory or the stack', () => {
  it('measures nesting by scanning, ignoring brackets inside strings', () => {
    expect(jsonNestingDepth('{"a": [1, {"b": "[[[{{{"}], "c": "\\"]"}')).toEqual({ depth: 3, at: -1 });
    expect(jsonNestingDepth('['.repeat(10), 4)).toEqual({ depth: 5, at: 4 });
  });

  it('refuses JSON nested beyond 64 levels before parsing it, and a model.json beyond 32 MB before reading it', async () => {
    const deep = write('deep.json', `{"modelTopology": ${'['.repeat(200_000)}${']'.repeat(200_000)}}`);
    expect(await refusal(deep)).toMatchObject({
      code: 'MODEL_IMPORT_REFUSED',
      message: `${deep}: the JSON nests arrays and objects more than 64 deep (at character 81). No Keras or tfjs model config nests that deeply; the file is damaged or crafted. Export the model again from its source`,
    });
    const huge = path.join(work, 'huge.json');
    fs.writeFileSync(huge, '{"modelTopology": ');
    fs.truncateSync(huge, 40 * 1024 * 1024); // sparse: the check must not need to read it
    expect(await refusal(huge)).toMatchObject({ code: 'MODEL_IMPORT_REFUSED', message: expect.stringContaining(`${huge}: the file is 40.0 MiB, beyond the 32.0 MiB a model's JSON may have.`) });
  });
});

/** Sets the uncompressed size the central directory declares for `entry`. */
function claimSize(zip: Uint8Array, entry: string, size: number): Uint8Array {
  const buf = Buffer.from(zip);
  for (let at = buf.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])); at >= 0; at = buf.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), at + 4)) {
    const nameLength = buf.readUInt16LE(at + 28);
    if (buf.toString('utf8', at + 46, at + 46 + nameLength) === entry) buf.writeUInt32LE(size, at + 24);
  }
  return new Uint8Array(buf);
}

describe('refusing .keras archives built to climb out or to explode', () => {
  const config = new TextEncoder().encode(JSON.stringify(mnistCnn()));

  it('refuses entries named with .. or an absolute path, and archives with too many entries', async () => {
    const climbing = write('climbing.keras', zipSync({ 'config.json': config, '../../evil.sh': new Uint8Array([35, 33]) }));
    const absolute = write('absolute.keras', zipSync({ 'config.json': config, '/etc/cron.d/x': new Uint8Array([1]) }));
    const crowded = write('crowded.keras', zipSync(Object.fromEntries([['config.json', config], ...Array.from({ length: 70 }, (_, i) => [`assets/${i}`, new Uint8Array([i])])])));
    const [a, b, c] = await refusals(climbing, absolute, crowded);
    expect(a).toMatchObject({ code: 'MODEL_IMPORT_REFUSED', message: expect.stringContaining(`${climbing}: the archive entry "../../evil.sh" climbs out of the archive with ".."`) });
    expect(b.message).toContain('the archive entry "/etc/cron.d/x" is an absolute path');
    expect(c.message).toContain(`${crowded}: the archive has more than 64 entries`);
  });

  it('refuses a declared uncompressed size beyond the limit before inflating anything', async () => {
    const weights = new Uint8Array(4096);
    const bomb = write('bomb.keras', claimSize(zipSync({ 'config.json': config, 'model.weights.h5': weights }), 'model.weights.h5', 0xffff_ff00));
    expect(await refusal(bomb)).toMatchObject({
      code: 'MODEL_IMPORT_REFUSED',
      message: expect.stringContaining(`${bomb}: the archive entry "model.weights.h5" declares 4.0 GiB unpacked (from`),
    });
    const bigConfig = write('big-config.keras', claimSize(zipSync({ 'config.json': config }), 'config.json', 64 * 1024 * 1024));
    expect((await refusal(bigConfig)).message).toContain('the archive entry "config.json" declares 64.0 MiB unpacked');
    // A size that lies the other way (the stream is shorter than declared) is caught after inflating.
    const short = write('short.keras', claimSize(zipSync({ 'config.json': config }), 'config.json', config.length + 100));
    expect((await refusal(short)).message).toContain(`the archive entry "config.json" unpacked to ${config.length} bytes but declares ${config.length + 100}`);
  });

  it('refuses deep JSON inside the archive and an archive that is not a zip', async () => {
    const deep = write('deep.keras', zipSync({ 'config.json': new TextEncoder().encode('['.repeat(100) + ']'.repeat(100)) }));
    expect((await refusal(deep)).message).toContain('config.json in the archive nests arrays and objects more than 64 deep');
    const broken = write('broken.keras', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]));
    expect((await refusal(broken)).message).toContain(`${broken}: it is not a readable zip archive`);
  });
});
