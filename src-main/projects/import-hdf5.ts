import h5wasm, { type Dataset, type File as H5File, type Group } from 'h5wasm';
import { refuseImport } from './import-limits.ts';

/**
 * Read-only access to an HDF5 file held in memory (Keras' .h5 and a .keras file's
 * model.weights.h5), through h5wasm's default build. That build keeps its files in an
 * in-memory file system holding only the one file we put there — unlike `h5wasm/node`,
 * which sees the whole disk — so an external link, external storage or a virtual dataset
 * inside a crafted file cannot reach any other file on the machine.
 */

let counter = 0;

/** What a dataset holds, before its values are read. */
export interface DatasetInfo {
  path: string;
  shape: number[];
  /** e.g. "float32", "float16", "int32", "string". */
  dtype: string;
}

/** A read-only view of one HDF5 file; dataset values are read only after their shape was checked. */
export class Hdf5Reader {
  constructor(private readonly h5: H5File, private readonly module: Awaited<typeof h5wasm.ready>, readonly file: string) {}

  /** The group at `path`, or null; never asks HDF5 for a missing name (which it reports on stderr). */
  group(path: string): Group | null {
    const entity = this.entity(path);
    return entity instanceof h5wasm.Group ? entity : null;
  }

  private entity(path: string): Group | Dataset | null {
    let at: Group = this.h5;
    const parts = path.split('/').filter(Boolean);
    for (const [i, part] of parts.entries()) {
      if (!at.keys().includes(part)) return null;
      const next = at.get(part);
      if (i === parts.length - 1) return next instanceof h5wasm.Group || next instanceof h5wasm.Dataset ? next : null;
      if (!(next instanceof h5wasm.Group)) return null; // external and soft links are not followed
      at = next;
    }
    return at;
  }

  /** Names of the datasets directly in a group, in HDF5's (alphabetical) order. */
  datasetNames(path: string): string[] {
    const g = this.group(path);
    return g ? g.keys().filter((k) => g.get(k) instanceof h5wasm.Dataset) : [];
  }

  /** A string (or list of strings) attribute; null when absent. Keras writes both as UTF-8. */
  attribute(path: string, name: string): string | string[] | null {
    const owner = path === '' || path === '/' ? this.h5 : this.entity(path);
    if (!owner || !Object.keys(owner.attrs).includes(name)) return null;
    const value = owner.get_attribute(name, true);
    if (typeof value === 'string') return value;
    if (Array.isArray(value)) return value.map((v) => String(v));
    return null;
  }

  dataset(path: string): DatasetInfo | null {
    const d = this.entity(path);
    if (!(d instanceof h5wasm.Dataset)) return null;
    const m = d.metadata;
    if (m.virtual_sources && m.virtual_sources.length > 0) {
      throw refuseImport(this.file, `the dataset ${path} is a virtual dataset reading from other files`, 'Keras never writes those; save the model again from its source and import that file');
    }
    const kind = m.type === 1 ? 'float' : m.type === 0 ? (m.signed ? 'int' : 'uint') : m.type === 3 ? 'string' : `type${m.type}`;
    return { path, shape: m.shape ?? [], dtype: kind === 'string' || kind.startsWith('type') ? kind : `${kind}${m.size * 8}` };
  }

  /**
   * A dataset's values as float32: float16 and float64 are converted, as are int32 values
   * (tfjs does the same for int32 weights); anything else is refused. Call only after the
   * shape was checked against the layer, so the read is as large as the layer expects.
   */
  readFloat32(path: string): { values: Float32Array; converted: string | null } {
    const d = this.entity(path);
    if (!(d instanceof h5wasm.Dataset)) throw refuseImport(this.file, `${path} is not a dataset`, 'Save the model again from its source and import that file');
    const m = d.metadata;
    const dtype = this.dataset(path)!.dtype;
    if (!['float32', 'float16', 'float64', 'int32'].includes(dtype)) {
      throw refuseImport(this.file, `the weight ${path} holds ${dtype} values; tfjs layers take float32 weights (Strata converts float16, float64 and int32)`,
        'Cast the model to float32 in Keras (e.g. keras.config.set_dtype_policy("float32") before building it), save it again and import that file');
    }
    const count = m.total_size;
    const bytes = this.rawBytes(d, m.size * count);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const le = m.littleEndian;
    const values = new Float32Array(count);
    if (dtype === 'float32') for (let i = 0; i < count; i++) values[i] = view.getFloat32(i * 4, le);
    else if (dtype === 'float64') for (let i = 0; i < count; i++) values[i] = view.getFloat64(i * 8, le);
    else if (dtype === 'int32') for (let i = 0; i < count; i++) values[i] = view.getInt32(i * 4, le);
    else for (let i = 0; i < count; i++) values[i] = halfToFloat(view.getUint16(i * 2, le));
    return { values, converted: dtype === 'float32' ? null : dtype };
  }

  /** The dataset's elements as stored (h5wasm has no float16 view, so all types are decoded here). */
  private rawBytes(d: Dataset, nbytes: number): Uint8Array {
    const ptr = this.module._malloc(Math.max(nbytes, 1));
    if (!ptr) throw refuseImport(this.file, `reading ${d.path} needs ${nbytes} bytes, more than the HDF5 reader can allocate`, 'Import a smaller model');
    try {
      const status = this.module.get_dataset_data(d.file_id, d.path, null, null, null, BigInt(ptr));
      if (status < 0) throw refuseImport(this.file, `the HDF5 dataset ${d.path} could not be read (status ${status})`, 'The file is damaged; save the model again and import that file');
      return this.module.HEAPU8.slice(ptr, ptr + nbytes);
    } finally {
      this.module._free(ptr);
    }
  }
}

/** IEEE 754 half precision to a JS number. */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 0x1f) return frac ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

const HDF5_MAGIC = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

export const isHdf5 = (bytes: Uint8Array): boolean => HDF5_MAGIC.every((b, i) => bytes[i] === b);

/**
 * Opens HDF5 bytes read-only in h5wasm's in-memory file system, runs `read`, and removes
 * the copy again. A file HDF5 cannot open is refused, naming `file`.
 */
export async function withHdf5<T>(bytes: Uint8Array, file: string, read: (h5: Hdf5Reader) => T): Promise<T> {
  const module = await h5wasm.ready;
  const name = `/strata-import-${process.pid}-${++counter}.h5`;
  module.FS.writeFile(name, bytes);
  let h5: H5File | null = null;
  try {
    try {
      h5 = new h5wasm.File(name, 'r');
    } catch (err) {
      throw refuseImport(file, `HDF5 could not open it (${err instanceof Error ? err.message : String(err)})`, 'The file is damaged or not HDF5; save the model again and import that file');
    }
    return read(new Hdf5Reader(h5, module, file));
  } finally {
    h5?.close();
    module.FS.unlink(name);
  }
}
