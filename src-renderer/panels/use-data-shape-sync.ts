import { useEffect, useState } from 'react';
import { errorMessage, useClient } from '../client/client-context.tsx';
import { useAppStores, useEditor } from '../state/app-context.tsx';

const SETTLE_MS = 300;

/**
 * Keeps `dataShape` in step with the data settings for tables, texts and series: main loads
 * the data as training would (one-hot widths, windows, vocabulary) and says what the
 * model's ends must be. Waits for edits to settle; a stale answer is dropped by the store.
 * Returns why the last load failed (a bad target, too few rows…), for the Data panel.
 */
export function useDataShapeSync(): string | null {
  const client = useClient();
  const { editor } = useAppStores();
  const data = useEditor((s) => s.data);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setError(null);
    if (!data || data.kind === 'image-folder') return;
    let cancelled = false;
    const timer = setTimeout(() => {
      client.invoke('dataset.shape', { data }).then(
        (shape) => { if (!cancelled) editor.setDataShape(data, shape); },
        (err: unknown) => { if (!cancelled) setError(errorMessage(err)); },
      );
    }, SETTLE_MS);
    return () => { cancelled = true; clearTimeout(timer); };
  }, [client, editor, data]);
  return error;
}
