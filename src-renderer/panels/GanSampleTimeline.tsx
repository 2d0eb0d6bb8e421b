import { useEffect, useState } from 'react';
import type { GanFrame } from '../state/gan-session.ts';
import { timelineIndex } from './gan-view.ts';

/**
 * The sample timeline: the generator's grid for the run's fixed noise, one frame per epoch,
 * so the same noise is seen turning into digits. The slider follows the newest frame while
 * it sits at the end, and stays put once the user moves it back.
 */
export function GanSampleTimeline({ frames, runId }: { frames: GanFrame[]; runId: string | null }) {
  const [picked, setPicked] = useState<number | null>(null); // null: follow the newest
  // Another run's frames start following again.
  useEffect(() => { setPicked(null); }, [runId]);
  const at = timelineIndex(frames.length, picked);
  const frame = frames[at];
  if (!frame) {
    return (
      <figure className="chart gan-timeline" data-testid="gan-timeline" data-epochs="">
        <figcaption><span>Samples</span></figcaption>
        <div className="gan-timeline-empty muted">The generator's samples appear here at the end of each epoch.</div>
      </figure>
    );
  }
  const latest = frames.length - 1;
  return (
    <figure className="chart gan-timeline" data-testid="gan-timeline" data-epochs={frames.map((f) => f.epoch).join(',')}>
      <figcaption>
        <span>Samples · epoch <b data-testid="gan-timeline-epoch">{frame.epoch}</b></span>
        <span className="chart-latest" title={`${frame.width} × ${frame.height} px: the generator's images for the same fixed noise at every epoch`}>
          {frames.length} epoch{frames.length === 1 ? '' : 's'} · fixed noise
        </span>
      </figcaption>
      <div className="gan-timeline-controls">
        <input type="range" min={0} max={latest} step={1} value={at} aria-label="Epoch" data-testid="gan-timeline-slider" disabled={latest === 0}
          onChange={(e) => { const v = Number(e.target.value); setPicked(v === latest ? null : v); }} />
      </div>
      <div className="gan-timeline-frame">
        {frame.png
          ? <img src={frame.png} alt={`Generated samples at epoch ${frame.epoch}`} data-testid="gan-timeline-image" data-epoch={frame.epoch} />
          : <span className="muted" data-testid="gan-timeline-missing">This epoch's grid is not in the run folder any more.</span>}
      </div>
    </figure>
  );
}
