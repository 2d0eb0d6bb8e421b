import type { ImageDatasetScan } from '../../src-shared/contract/commands.ts';
import type { ImageDataConfig } from '../../src-shared/contract/data-config.ts';
import { useEditor } from '../state/app-context.tsx';
import { AugmentationSettings } from './AugmentationSettings.tsx';
import { NumberBox, SplitSettings, useSetData } from './data-controls.tsx';

/** What an image scan found: the classes with a few thumbnails each (for a GAN, the one set of images it learns from). */
export function ImageClasses({ scan, gan = false }: { scan: ImageDatasetScan; gan?: boolean }) {
  return (
    <>
      <h3>
        {gan
          ? <span data-testid="data-summary">The GAN will learn from {scan.total} image{scan.total === 1 ? '' : 's'}</span>
          : <span data-testid="data-summary">{scan.total} images in {scan.classes.length} classes</span>}
        {scan.labelsCsv && <span className="muted"> · {gan ? 'the images listed in' : 'labelled by'} {scan.labelsCsv}</span>}
      </h3>
      <ul className="class-list">
        {scan.classes.map((c) => (
          <li key={c.name} className="class-card" data-testid={`data-class-${c.name}`}>
            <div className="class-head"><span className="class-name">{c.name}</span><span className="class-count">{c.count}</span></div>
            <div className="class-thumbs">{c.thumbnails.slice(0, 4).map((t, i) => <img key={i} src={t} alt="" />)}</div>
          </li>
        ))}
      </ul>
    </>
  );
}

/**
 * Size and colour the model sees, the split, and augmentation. A GAN uses only the size and
 * colour: it learns from every image (no held-out split), unaugmented (augmented images would
 * be what it learns to make), held in memory — so those controls are not shown for it.
 */
export function ImageDataSettings({ data, scan, gan = false }: { data: ImageDataConfig; scan: ImageDatasetScan; gan?: boolean }) {
  const setData = useSetData();
  const loadCount = useEditor((s) => s.loadCount);
  return (
    <>
      <div className="form-row">
        <label htmlFor="data-height">Image size</label>
        <span className="param-pair">
          <NumberBox key={`h${loadCount}`} id="data-height" testId="data-height" value={data.imageSize[0]} min={4} max={512}
            onValue={(h) => setData(data, { imageSize: [h, data.imageSize[1]] })} />
          ×
          <NumberBox key={`w${loadCount}`} testId="data-width" value={data.imageSize[1]} min={4} max={512}
            onValue={(w) => setData(data, { imageSize: [data.imageSize[0], w] })} />
          <span className="muted">px</span>
        </span>
        <span className="form-hint muted">suggested {scan.suggested.imageSize.join(' × ')} from the images</span>
      </div>
      <div className="form-row">
        <label htmlFor="data-channels">Colour</label>
        <select id="data-channels" value={data.channels} data-testid="data-channels"
          onChange={(e) => setData(data, { channels: Number(e.target.value) === 3 ? 3 : 1 })}>
          <option value={1}>Grayscale (1 channel)</option>
          <option value={3}>RGB (3 channels)</option>
        </select>
      </div>
      {gan && (
        <p className="muted" data-testid="data-gan-settings-note">
          A GAN learns from every image here, as they are: no validation split, no augmentation, all held in memory.
        </p>
      )}
      {!gan && <SplitSettings data={data} />}
      {!gan && <div className="form-row">
        <label htmlFor="data-storage">While training</label>
        <select id="data-storage" value={data.storage} data-testid="data-storage"
          onChange={(e) => setData(data, { storage: e.target.value as ImageDataConfig['storage'] })}>
          <option value="auto">auto (memory if it fits)</option>
          <option value="memory">keep in memory</option>
          <option value="disk">stream from disk cache</option>
        </select>
      </div>}
      {!gan && <AugmentationSettings data={data} />}
    </>
  );
}
