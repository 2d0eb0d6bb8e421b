import { unzipSync } from 'fflate';
import { formatBytes, IMPORT_LIMITS, refuseImport } from './import-limits.ts';

/**
 * Reads named entries from a zip archive (a Keras 3 `.keras` file) after checking the whole
 * central directory: no entry may have an absolute name or a `..` step, there may be only a
 * few entries, and no entry may declare more bytes than the limits allow. The declared sizes
 * are checked before anything is inflated (fflate allocates exactly the declared size and
 * never grows it), so a zip bomb is refused without being expanded.
 */

export const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
export const isZip = (bytes: Uint8Array): boolean => ZIP_MAGIC.every((b, i) => bytes[i] === b);

/** Why an entry name could write or read outside the archive, or null when it is a plain relative name. */
export function unsafeEntryName(name: string): string | null {
  if (name.includes('\0')) return 'contains a NUL character';
  if (/^([/\\]|[A-Za-z]:)/.test(name)) return 'is an absolute path';
  if (name.split(/[/\\]/).includes('..')) return 'climbs out of the archive with ".."';
  return null;
}

/**
 * The wanted entries' bytes (those present), after every entry passed the checks. `limits`
 * gives per-entry byte limits for the wanted names; other entries are never inflated.
 */
export function readZipEntries(bytes: Uint8Array, file: string, limits: Readonly<Record<string, number>>): Map<string, Uint8Array> {
  const fix = 'A .keras file written by Keras has only metadata.json, config.json and model.weights.h5; save the model again with model.save("model.keras") and import that file';
  let entries = 0;
  let declaredTotal = 0;
  const declared = new Map<string, number>();
  let unzipped: Record<string, Uint8Array>;
  try {
    unzipped = unzipSync(bytes, {
      filter: (info) => {
        entries += 1;
        if (entries > IMPORT_LIMITS.maxZipEntries) {
          throw refuseImport(file, `the archive has more than ${IMPORT_LIMITS.maxZipEntries} entries`, fix);
        }
        const unsafe = unsafeEntryName(info.name);
        if (unsafe) throw refuseImport(file, `the archive entry "${info.name}" ${unsafe}`, fix);
        declaredTotal += info.originalSize;
        const limit = limits[info.name] ?? IMPORT_LIMITS.maxWeightBytes;
        if (info.originalSize > limit || declaredTotal > IMPORT_LIMITS.maxWeightBytes) {
          throw refuseImport(file, `the archive entry "${info.name}" declares ${formatBytes(info.originalSize)} unpacked (from ${formatBytes(info.size)} packed)${declaredTotal > IMPORT_LIMITS.maxWeightBytes ? `, ${formatBytes(declaredTotal)} in all` : ''}, beyond the ${formatBytes(Math.min(limit, IMPORT_LIMITS.maxWeightBytes))} Strata unpacks`, fix);
        }
        if (info.compression !== 0 && info.compression !== 8) {
          throw refuseImport(file, `the archive entry "${info.name}" uses compression method ${info.compression}; Keras writes stored or deflated entries`, fix);
        }
        if (!(info.name in limits)) return false;
        if (declared.has(info.name)) throw refuseImport(file, `the archive has two entries named "${info.name}"`, fix);
        declared.set(info.name, info.originalSize);
        return true;
      },
    });
  } catch (err) {
    if (err instanceof Error && 'code' in err && err.code === 'MODEL_IMPORT_REFUSED') throw err;
    throw refuseImport(file, `it is not a readable zip archive (${err instanceof Error ? err.message : String(err)})`, fix);
  }
  const out = new Map<string, Uint8Array>();
  for (const [name, size] of declared) {
    const data = unzipped[name];
    // A deflate stream that yields more or less than its header said is damaged or crafted.
    if (!data || data.length !== size) {
      throw refuseImport(file, `the archive entry "${name}" unpacked to ${data?.length ?? 0} bytes but declares ${size}`, fix);
    }
    out.set(name, data);
  }
  return out;
}
