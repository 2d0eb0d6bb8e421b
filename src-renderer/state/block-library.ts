import { useEffect } from 'react';
import { addBlockInstance } from '../../src-shared/graph/graph-blocks.ts';
import { GraphEditError } from '../../src-shared/graph/graph-edits.ts';
import type { BlockDef, ModelSpec, Position } from '../../src-shared/spec/model-spec.ts';
import { errorMessage, useClient } from '../client/client-context.tsx';
import type { StrataClient } from '../client/strata-client.ts';
import { addBelowSelection } from '../canvas/canvas-commands.ts';
import type { EditorStore } from './editor-store.ts';
import { ExternalStore, useStore } from './external-store.ts';

interface LibraryState {
  blocks: Readonly<Record<string, BlockDef>>;
  /** Why the library could not be read or written (names the file); null when fine. */
  error: string | null;
}

/** The user's block library as the window knows it: loaded once, refreshed after a save. */
export const blockLibrary = new ExternalStore<LibraryState>({ blocks: {}, error: null });

async function refresh(client: StrataClient): Promise<void> {
  try {
    blockLibrary.set({ blocks: await client.invoke('library.blocks', {}), error: null });
  } catch (err) {
    blockLibrary.set((s) => ({ ...s, error: errorMessage(err) }));
  }
}

/** The library's blocks, loading them on first use. */
export function useBlockLibrary(): LibraryState {
  const client = useClient();
  useEffect(() => { void refresh(client); }, [client]);
  return useStore(blockLibrary, (s) => s);
}

export async function saveBlockToLibrary(client: StrataClient, name: string, block: BlockDef): Promise<string> {
  const { path } = await client.invoke('library.saveBlock', { name, block });
  await refresh(client);
  return path;
}

/**
 * A library block in the project: its definition is copied into the project (so the file
 * stays complete elsewhere) under its name, or name_2… when the project already has a
 * different block of that name; then an instance is added.
 */
export function withLibraryBlock(spec: ModelSpec, name: string, block: BlockDef, position: Position): { spec: ModelSpec; name: string } {
  let local = name;
  for (let n = 2; spec.blocks?.[local] && JSON.stringify(spec.blocks[local]) !== JSON.stringify(block); n++) local = `${name}_${n}`;
  if (!/^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/.test(local)) throw new GraphEditError(`"${local}" is not a valid block name`);
  const withDef = spec.blocks?.[local] ? spec : { ...spec, blocks: { ...spec.blocks, [local]: block } };
  return addBlockInstance(withDef, local, position);
}

/** Adds a library block below the selection (double-click in the palette). */
export function addLibraryBlock(editor: EditorStore, name: string, block: BlockDef): void {
  addBelowSelection(editor, (s, position) => withLibraryBlock(s, name, block, position));
}
