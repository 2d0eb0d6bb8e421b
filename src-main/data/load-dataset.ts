import type { DataConfig } from '../../src-shared/contract/data-config.ts';
import { loadImageDataset, type LoadImageDatasetOptions } from './image-folder/load-image-dataset.ts';
import type { LoadedDataset } from './loaded-dataset.ts';
import { loadTableDataset } from './table/load-table-dataset.ts';
import { loadTimeSeriesDataset } from './table/load-timeseries-dataset.ts';
import { loadTextDataset } from './text/load-text-dataset.ts';

/** Any dataset kind as training data. Errors are DataImportErrors naming the file and the fix. `options` are for image folders. */
export async function loadDataset(config: DataConfig, options: LoadImageDatasetOptions = {}): Promise<LoadedDataset> {
  switch (config.kind) {
    case 'image-folder': return loadImageDataset(config, options);
    case 'csv-table': return loadTableDataset(config);
    case 'text': return loadTextDataset(config);
    case 'timeseries': return loadTimeSeriesDataset(config);
  }
}

/** Closes the file handles of streamed splits (a no-op for splits in memory). */
export function closeDataset(dataset: LoadedDataset): void {
  for (const split of [dataset.train, dataset.validation, dataset.test]) split.x.close();
}

/** "1,204 images", "310 rows", "96 windows", "2,000 texts": what one sample is, for messages. */
export function sampleNoun(kind: DataConfig['kind'], count: number): string {
  const noun = { 'image-folder': 'image', 'csv-table': 'row', text: 'text', timeseries: 'window' }[kind];
  return `${count.toLocaleString('en-US')} ${noun}${count === 1 ? '' : 's'}`;
}
