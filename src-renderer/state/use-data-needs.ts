import { useMemo } from 'react';
import { useEditor } from './app-context.tsx';
import { dataNeeds, type DataNeeds } from './data-needs.ts';

/** What the current data asks of the model, recomputed only when the data, scan or shape change. */
export function useDataNeeds(): DataNeeds {
  const data = useEditor((s) => s.data);
  const scan = useEditor((s) => s.scan);
  const shape = useEditor((s) => s.dataShape);
  return useMemo(() => dataNeeds(data, scan, shape), [data, scan, shape]);
}
