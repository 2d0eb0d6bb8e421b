import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { LayerWeight } from '../engine/io/model-weights.ts';
import { StrataError } from '../strata-error.ts';
import { halfToFloat } from './import-hdf5.ts';
import { expectedVariables, pairVariables } from './import-layer-variables.ts';
import { formatBytes, IMPORT_LIMITS, refuseImport } from './import-limits.ts';
import type { ImportedTopology } from './import-topology.ts';

/**
 * The weights of a tfjs layers model: `weightsManifest` in model.json names shard files
 * beside it and, per weight, its name (`<layer>/<variable>`), shape and dtype; the shards of
 * a group, concatenated, hold the weights back to back. Every path must stay inside the
 * model's folder (after symlinks), and the shards' sizes must be exactly what the manifest
 * declares, before a byte of them is read.
 */

const QuantizationSchema = z.object({
  dtype: z.enum(['uint8', 'uint16', 'float16']),
  scale: z.number().optional(),
  min: z.number().optional(),
});
const ManifestEntrySchema = z.object({
  name: z.string().min(1),
  shape: z.array(z.number().int().nonnegative()),
  dtype: z.string(),
  /** tfjs saves optimizer state in the same manifest under group "optimizer". */
  group: z.string().optional(),
  quantization: QuantizationSchema.optional(),
});
export const WeightsManifestSchema = z.array(z.object({ paths: z.array(z.string()), weights: z.array(ManifestEntrySchema) }));
type ManifestEntry = z.infer<typeof ManifestEntrySchema>;

const FLOAT_FIX = 'Save the model from tfjs with float32 weights (the default) and import it again';

/** Bytes one value of the entry takes in the shard, or a refusal for dtypes layers cannot hold. */
function bytesPerValue(entry: ManifestEntry, file: string): number {
  if (entry.quantization) return entry.quantization.dtype === 'uint8' ? 1 : 2;
  if (entry.dtype === 'float32' || entry.dtype === 'int32') return 4;
  throw refuseImport(file, `the weight ${entry.name} is of dtype ${entry.dtype}; layer weights are float32 (Strata converts int32 and float16-quantized ones)`, FLOAT_FIX);
}

function decode(entry: ManifestEntry, bytes: Uint8Array): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = bytes.byteLength / bytesPerValue(entry, '');
  const out = new Float32Array(count);
  const q = entry.quantization;
  if (!q) {
    for (let i = 0; i < count; i++) out[i] = entry.dtype === 'int32' ? view.getInt32(i * 4, true) : view.getFloat32(i * 4, true);
  } else if (q.dtype === 'float16') {
    for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(i * 2, true));
  } else {
    // tfjs' affine quantization: value = quantized · scale + min.
    const scale = q.scale ?? 1;
    const min = q.min ?? 0;
    for (let i = 0; i < count; i++) out[i] = (q.dtype === 'uint8' ? view.getUint8(i) : view.getUint16(i * 2, true)) * scale + min;
  }
  return out;
}

/** Resolves a manifest path inside `dir`, refusing anything that could read another file. */
export function resolveShardPath(dir: string, shard: string, file: string): string {
  const fix = 'A tfjs model keeps its weight files beside model.json, named plainly ("group1-shard1of1.bin"); fix the paths in weightsManifest or save the model again';
  if (shard === '' || /^([/\\]|[A-Za-z]:)/.test(shard) || /^[a-z][a-z0-9+.-]*:/i.test(shard)) {
    throw refuseImport(file, `weightsManifest names the weight file "${shard}" by an absolute path or URL; Strata reads only files in the model's folder`, fix);
  }
  if (shard.split(/[/\\]/).includes('..')) {
    throw refuseImport(file, `weightsManifest names the weight file "${shard}", which climbs out of the model's folder with ".."`, fix);
  }
  const realDir = fs.realpathSync(dir);
  const target = path.join(dir, shard);
  if (!fs.existsSync(target)) throw new StrataError('NOT_FOUND', `${file}: the weight file ${shard} it names is missing (expected at ${target}). Copy every .bin file that was saved with model.json into ${dir}.`);
  const real = fs.realpathSync(target);
  if (real !== realDir && !real.startsWith(realDir + path.sep)) {
    throw refuseImport(file, `the weight file "${shard}" is a link to ${real}, outside the model's folder ${realDir}`, `Copy the weight file itself into ${realDir} instead of linking to it`);
  }
  if (!fs.statSync(real).isFile()) throw refuseImport(file, `the weight file "${shard}" is not a regular file`, fix);
  return real;
}

/**
 * Reads the weights a model.json's manifest describes, checked against the topology and
 * keyed by spec layer name in tfjs order. Returns null weights (with a note) when the spec's
 * graph has problems that keep the weights from being checked.
 */
export function readTfjsWeights(file: string, manifestJson: unknown, topology: ImportedTopology): { weights: LayerWeight[] | null; notes: string[] } {
  const parsed = WeightsManifestSchema.safeParse(manifestJson);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw refuseImport(file, `its weightsManifest is malformed (${issue?.path.join('.') || 'top level'}: ${issue?.message})`, 'Save the model again with tfjs (model.save) and import that folder');
  }
  const dir = path.dirname(file);
  const groups = parsed.data.map((g) => ({ ...g, files: g.paths.map((p) => resolveShardPath(dir, p, file)) }));

  // Declared sizes first: a manifest claiming terabytes is refused before any file is touched.
  let total = 0;
  for (const g of groups) {
    for (const w of g.weights) {
      const values = w.shape.reduce((a, b) => a * b, 1);
      total += values * bytesPerValue(w, file);
      if (total > IMPORT_LIMITS.maxWeightBytes || !Number.isSafeInteger(total)) {
        throw refuseImport(file, `weightsManifest declares ${w.name} of shape (${w.shape.join(', ')}), which brings the weights to ${formatBytes(total)}, beyond the ${formatBytes(IMPORT_LIMITS.maxWeightBytes)} Strata reads`, 'Import a smaller model');
      }
    }
    const declared = g.weights.reduce((sum, w) => sum + w.shape.reduce((a, b) => a * b, 1) * bytesPerValue(w, file), 0);
    const actual = g.files.reduce((sum, f) => sum + fs.statSync(f).size, 0);
    if (declared !== actual) {
      throw refuseImport(file, `its weightsManifest declares ${declared} bytes of weights (${g.weights.length} arrays by their shapes and dtypes) in ${g.paths.join(' + ')}, but ${g.files.length === 1 ? 'that file holds' : 'those files hold'} ${actual} bytes`,
        'A weight file is truncated, or belongs to another model; copy the model folder again from where it was saved');
    }
  }

  const { layers: expected, problems } = expectedVariables(topology.spec);
  if (problems.length > 0) {
    return { weights: null, notes: [`weights not loaded: the graph has problems, so they cannot be checked against it — ${problems.join('; ')}. Fix these in the source model and import it again.`] };
  }

  // Which layer a weight belongs to: the first segment of its name that is a layer's name.
  const byFileName = new Map(topology.layers.map((l) => [l.name, l]));
  const found = new Map<string, Array<{ path: string; shape: number[]; values: Float32Array }>>();
  const converted = new Set<string>();
  let skipped = 0;
  for (const g of groups) {
    const joined = Buffer.concat(g.files.map((f) => fs.readFileSync(f)));
    let offset = 0;
    for (const w of g.weights) {
      const size = w.shape.reduce((a, b) => a * b, 1) * bytesPerValue(w, file);
      const bytes = new Uint8Array(joined.buffer, joined.byteOffset + offset, size);
      offset += size;
      if (w.group === 'optimizer') {
        skipped += 1;
        continue;
      }
      const segments = w.name.split('/');
      const at = segments.findIndex((s) => byFileName.has(s));
      if (at < 0 || at === segments.length - 1) {
        throw refuseImport(file, `weightsManifest has the weight ${w.name}, which names no layer of the model's topology`, 'The weights belong to another model; save the model again with tfjs and import that folder');
      }
      const layer = byFileName.get(segments[at]!)!;
      const list = found.get(layer.specName) ?? [];
      list.push({ path: segments.slice(at + 1).join('/'), shape: w.shape, values: decode(w, bytes) });
      found.set(layer.specName, list);
      if (w.quantization) converted.add(`${w.quantization.dtype}-quantized`);
      else if (w.dtype !== 'float32') converted.add(w.dtype);
    }
  }

  const weights: LayerWeight[] = [];
  for (const layer of topology.spec.config.layers) {
    const vars = expected.get(layer.name);
    const got = found.get(layer.name) ?? [];
    if (!vars) {
      if (got.length > 0) throw refuseImport(file, `weightsManifest has ${got.length} weights for ${layer.name} (${layer.class_name}), which has none`, 'The weights belong to another model; save the model again with tfjs and import that folder');
      continue;
    }
    for (const { found: f } of pairVariables(file, layer.name, layer.class_name, vars, got)) {
      weights.push({ layer: layer.name, name: f.path, shape: f.shape, values: f.values });
    }
  }
  const notes = [`weights of ${expected.size} layer${expected.size === 1 ? '' : 's'} read from ${groups.flatMap((g) => g.paths).length} weight file(s)`];
  if (converted.size > 0) notes.push(`${[...converted].join(', ')} weights converted to float32`);
  if (skipped > 0) notes.push(`${skipped} optimizer state arrays skipped (training starts with a fresh optimizer)`);
  return { weights, notes };
}
