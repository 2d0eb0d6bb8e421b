import type { DatasetScan, DatasetShape } from '../../src-shared/contract/commands.ts';
import type { DataConfig } from '../../src-shared/contract/data-config.ts';

/** What the chosen data asks of the model's two ends; null parts are not known yet. */
export interface DataNeeds {
  /** The Input shape the samples have. */
  inputShape: number[] | null;
  /** Units of the last layer: one per class, or one per number to predict. */
  outputs: number | null;
  task: 'classification' | 'regression';
  /** "classes" or "values to predict", for messages. */
  outputWord: string;
}

/**
 * Images: the shape comes from the chosen size and colour, the classes from the scan.
 * Texts: the sequence length; the classes from the scan. Tables and series: from loading
 * the data in main (`dataset.shape`), since one-hot widths and windows depend on the values.
 */
export function dataNeeds(data: DataConfig | null, scan: DatasetScan | null, shape: DatasetShape | null): DataNeeds {
  const none: DataNeeds = { inputShape: null, outputs: null, task: 'classification', outputWord: 'classes' };
  if (!data) return none;
  if (data.kind === 'image-folder') {
    const classes = scan?.kind === 'image-folder' ? scan.classes.length : null;
    return { ...none, inputShape: [data.imageSize[0], data.imageSize[1], data.channels], outputs: classes };
  }
  if (data.kind === 'text' && !shape) {
    return { ...none, inputShape: [data.sequenceLength], outputs: scan?.kind === 'text' ? scan.classes.length : null };
  }
  if (!shape) return { ...none, task: data.kind === 'timeseries' ? 'regression' : 'classification' };
  const regression = shape.targets.type === 'regression';
  return {
    inputShape: shape.sampleShape,
    outputs: shape.targets.type === 'classes' ? shape.targets.classes.length : shape.targets.columns.length,
    task: regression ? 'regression' : 'classification',
    outputWord: regression ? 'values to predict' : 'classes',
  };
}

/** The class count the graph analysis checks the output against (classification only). */
export function classCountFor(needs: DataNeeds): number | undefined {
  return needs.task === 'classification' && needs.outputs !== null && needs.outputs >= 2 ? needs.outputs : undefined;
}
