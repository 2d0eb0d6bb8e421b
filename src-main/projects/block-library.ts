import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { BlockDefSchema, LayerNameSchema, type BlockDef } from '../../src-shared/spec/model-spec.ts';
import { StrataError } from '../strata-error.ts';
import { writeFileAtomic } from './atomic-write.ts';

/**
 * The user's own library of composite blocks, shared by every project on this machine:
 * `blocks.json` in Strata's config folder (STRATA_CONFIG_DIR, else $XDG_CONFIG_HOME/strata,
 * else ~/.config/strata). A project keeps its own copy of each block it uses, so a project
 * file stays complete on another machine.
 */
const LibraryFileSchema = z.object({
  schemaVersion: z.literal(1),
  blocks: z.record(LayerNameSchema, BlockDefSchema),
});

export function blockLibraryPath(): string {
  const dir = process.env.STRATA_CONFIG_DIR
    ?? path.join(process.env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), 'strata');
  return path.join(dir, 'blocks.json');
}

export function readBlockLibrary(): Record<string, BlockDef> {
  const file = blockLibraryPath();
  if (!fs.existsSync(file)) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    throw new StrataError('BAD_BLOCK_LIBRARY', `${file} (your block library) is not valid JSON. Fix it or move it away; Strata starts a new one.`);
  }
  const parsed = LibraryFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new StrataError('BAD_BLOCK_LIBRARY', `${file} (your block library) is not a Strata block library: ${issue?.path.join('.') || 'top level'}: ${issue?.message}. Fix it or move it away.`);
  }
  return parsed.data.blocks;
}

/** Adds or replaces one block; the file is written atomically, so a crash never loses the library. */
export function saveToBlockLibrary(name: string, block: BlockDef): string {
  const blocks = { ...readBlockLibrary(), [name]: BlockDefSchema.parse(block) };
  const file = blockLibraryPath();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic(file, `${JSON.stringify({ schemaVersion: 1, blocks }, null, 2)}\n`);
  return file;
}
