import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

/** Where Strata keeps per-machine caches (libtensorflow, the built binding, measurements). */
export function strataCacheDir(): string {
  return process.env.STRATA_CACHE_DIR
    ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'strata');
}

const NativeReferenceSchema = z.object({
  matmulGflops: z.number().positive(),
  measuredAt: z.string(),
  libtensorflowVersion: z.string().nullable(),
});
export type NativeReference = z.infer<typeof NativeReferenceSchema>;

const referenceFile = (): string => path.join(strataCacheDir(), 'native-matmul.json');

/**
 * The native engine's matmul speed as last measured on this machine. A fallback backend
 * compares itself against it, so its warning states a measured slowdown, not a guess.
 */
export function readNativeReference(): NativeReference | null {
  try {
    return NativeReferenceSchema.parse(JSON.parse(fs.readFileSync(referenceFile(), 'utf8')));
  } catch {
    return null; // never measured here, or an unreadable file: the caller says so
  }
}

export function writeNativeReference(ref: NativeReference): void {
  try {
    const file = referenceFile();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(ref, null, 2));
    fs.renameSync(tmp, file);
  } catch {
    // A read-only home must not stop the engine; the fallback warning then lacks a ratio.
  }
}
