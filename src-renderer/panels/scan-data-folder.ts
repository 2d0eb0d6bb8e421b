import type { DatasetScan } from '../../src-shared/contract/commands.ts';
import {
  ImageDataConfigSchema, TableDataConfigSchema, TextDataConfigSchema, type DataConfig, type DataPurpose,
} from '../../src-shared/contract/data-config.ts';
import { errorMessage } from '../client/client-context.tsx';
import type { StrataClient } from '../client/strata-client.ts';
import type { EditorStore } from '../state/editor-store.ts';

/** The settings a freshly chosen dataset starts with, keeping the split the person chose before. */
export function defaultDataConfig(scan: DatasetScan, previous: DataConfig | null): DataConfig | null {
  const split = { validationSplit: previous?.validationSplit ?? 0.2, testSplit: previous?.testSplit ?? 0, seed: previous?.seed ?? 42 };
  if (scan.kind === 'image-folder') {
    const same = previous?.kind === 'image-folder' && previous.path === scan.root ? previous : null;
    return ImageDataConfigSchema.parse({
      ...same, ...split, kind: 'image-folder', path: scan.root,
      labels: scan.labelsCsv ? { csv: scan.labelsCsv } : null,
      imageSize: same?.imageSize ?? scan.suggested.imageSize, channels: same?.channels ?? scan.suggested.channels,
    });
  }
  if (scan.kind === 'text') {
    // Cover most texts without padding every sample to the longest one.
    const sequenceLength = Math.min(500, Math.max(8, Math.ceil(scan.lengths.p95 / 8) * 8));
    return TextDataConfigSchema.parse({ ...split, kind: 'text', path: scan.root, sequenceLength });
  }
  if (previous && (previous.kind === 'csv-table' || previous.kind === 'timeseries') && previous.path === scan.root) return previous;
  if (!scan.suggestedTarget) return null;
  // Free-text and id-like columns start ignored; the person can change every role.
  const ignore = scan.columns.filter((c) => c.type === 'text' || c.type === 'empty').map((c) => c.name);
  return TableDataConfigSchema.parse({ ...split, kind: 'csv-table', path: scan.root, target: scan.suggestedTarget, ignore });
}

/**
 * Scans a dataset (a folder or a CSV) and stores what it found. `keepConfig` (an opened
 * project) keeps the data settings as they are and only adds the scan; otherwise the path
 * becomes the dataset with settings suggested from what the scan found. A GAN project's
 * images are scanned as a GAN reads them (every image, labels unused).
 */
export async function scanDataFolder(
  client: StrataClient, editor: EditorStore, path: string,
  { keepConfig = false, labelsCsv, kind }: { keepConfig?: boolean; labelsCsv?: string; kind?: 'csv-table' | 'text' } = {},
): Promise<boolean> {
  const token = editor.beginScan();
  try {
    const { data: current, gan } = editor.get();
    // An opened project knows how its data is read: scan it that way.
    const asKind = kind ?? (keepConfig && current?.kind === 'text' ? 'text' : undefined);
    const asLabels = labelsCsv ?? (keepConfig && current?.kind === 'image-folder' && current.labels ? current.labels.csv : undefined);
    const result = await client.invoke('dataset.scan', {
      path, ...(asLabels ? { labelsCsv: asLabels } : {}), ...(asKind ? { kind: asKind } : {}), ...(gan ? { purpose: 'gan' as const } : {}),
    });
    if (keepConfig) return editor.endScan(token, { scan: result });
    const data = defaultDataConfig(result, current);
    return editor.endScan(token, data ? { scan: result, data } : { scan: result });
  } catch (err) {
    editor.endScan(token, { error: errorMessage(err) });
    return false;
  }
}

/** The kind of project and the image folder the Data panel last rescanned for (null: none yet). */
export type Rescan = { purpose: DataPurpose; path: string } | null;

/**
 * Whether the chosen image folder must be scanned again because the project changed kind
 * (a GAN reads every image, labels unused; a classifier reads classes): its scan was made
 * for the other kind, or the last rescan was for the other kind and failed (its error is
 * not this kind's). Never twice for the same kind and folder, so a failure stays shown.
 */
export function needsRescan(
  purpose: DataPurpose,
  state: { data: DataConfig | null; scan: DatasetScan | null; scanning: boolean; scanError: string | null },
  last: Rescan,
): boolean {
  const { data, scan } = state;
  if (state.scanning || data?.kind !== 'image-folder' || scan?.kind !== 'image-folder' || scan.root !== data.path) return false;
  if (last?.purpose === purpose && last.path === data.path) return false;
  const otherKind = (scan.purpose ?? 'classifier') !== purpose;
  const otherKindsError = state.scanError !== null && last?.path === data.path;
  return otherKind || otherKindsError;
}
