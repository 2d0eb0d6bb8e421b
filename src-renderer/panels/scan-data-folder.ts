import { errorMessage } from '../client/client-context.tsx';
import type { StrataClient } from '../client/strata-client.ts';
import type { EditorStore } from '../state/editor-store.ts';

/**
 * Scans a dataset folder and stores what it found. `keepConfig` (an opened project) keeps
 * the data settings as they are and only adds the scan; otherwise the folder becomes the
 * dataset, keeping the size and colour the person chose when it is the same folder again.
 */
export async function scanDataFolder(client: StrataClient, editor: EditorStore, path: string, { keepConfig = false } = {}): Promise<boolean> {
  const token = editor.beginScan();
  try {
    const result = await client.invoke('dataset.scan', { path });
    if (keepConfig) return editor.endScan(token, { scan: result });
    const data = editor.get().data;
    const keep = data !== null && data.path === result.root;
    return editor.endScan(token, {
      scan: result,
      data: {
        kind: 'image-folder', path: result.root,
        imageSize: keep ? data.imageSize : result.suggested.imageSize,
        channels: keep ? data.channels : result.suggested.channels,
        validationSplit: data?.validationSplit ?? 0.2, seed: data?.seed ?? 42,
      },
    });
  } catch (err) {
    editor.endScan(token, { error: errorMessage(err) });
    return false;
  }
}
