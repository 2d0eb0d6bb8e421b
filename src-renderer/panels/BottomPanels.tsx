import { useCallback, useRef, useState, type PointerEvent } from 'react';
import { useEditor, useGanSession, useTrainingSession } from '../state/app-context.tsx';
import { isGanActive } from '../state/gan-session.ts';
import { isActive } from '../state/training-session.ts';
import { DataPanel } from './DataPanel.tsx';
import { EvaluatePanel } from './EvaluatePanel.tsx';
import { ExplainPanel } from './ExplainPanel.tsx';
import { ExportPanel } from './ExportPanel.tsx';
import { GanTrainingPanel } from './GanTrainingPanel.tsx';
import { RunsPanel } from './RunsPanel.tsx';
import { TrainingPanel } from './TrainingPanel.tsx';

export type PanelTab = 'data' | 'train' | 'runs' | 'evaluate' | 'explain' | 'export';
const TABS: Array<{ id: PanelTab; label: string }> = [
  { id: 'data', label: 'Data' },
  { id: 'train', label: 'Train' },
  { id: 'runs', label: 'Runs' },
  { id: 'evaluate', label: 'Evaluate' },
  { id: 'explain', label: 'Explain' },
  { id: 'export', label: 'Export' },
];

/**
 * The tabbed panels under the canvas, with a draggable splitter. Every panel stays mounted
 * (hidden when not shown) so a chart, a scan or an explanation survives a tab switch.
 */
export function BottomPanels({ tab, onTab }: { tab: PanelTab; onTab(t: PanelTab): void }) {
  const [height, setHeight] = useState(340);
  const drag = useRef<{ startY: number; startH: number } | null>(null);
  const hasData = useEditor((s) => s.data !== null);
  const isGan = useEditor((s) => s.gan !== null);
  const ganTraining = useGanSession((s) => isGanActive(s));
  const training = useTrainingSession((s) => isActive(s)) || (isGan && ganTraining);
  const hasWeights = useTrainingSession((s) => s.checkpointEpoch > 0);

  const onPointerDown = useCallback((e: PointerEvent) => {
    drag.current = { startY: e.clientY, startH: height };
    (e.target as HTMLElement).setPointerCapture(e.pointerId);
  }, [height]);
  const onPointerMove = useCallback((e: PointerEvent) => {
    if (!drag.current) return;
    const max = window.innerHeight - 200;
    setHeight(Math.min(max, Math.max(120, drag.current.startH - (e.clientY - drag.current.startY))));
  }, []);

  const badge = (id: PanelTab): string | null => {
    if (id === 'data' && hasData) return 'ok';
    if (id === 'train' && training) return 'live';
    if ((id === 'evaluate' || id === 'explain' || id === 'export') && hasWeights && !isGan) return 'ok';
    return null;
  };

  return (
    <section className="bottom-panels" style={{ height }} data-testid="bottom-panels">
      <div
        className="splitter" role="separator" aria-orientation="horizontal" aria-label="Resize panels" data-testid="panel-splitter"
        onPointerDown={onPointerDown} onPointerMove={onPointerMove} onPointerUp={() => { drag.current = null; }}
      />
      <div className="tabs" role="tablist">
        {TABS.map((t) => {
          const b = badge(t.id);
          return (
            <button
              key={t.id} type="button" role="tab" aria-selected={tab === t.id} className={`tab${tab === t.id ? ' is-active' : ''}`}
              onClick={() => onTab(t.id)} data-testid={`tab-${t.id}`}
            >
              {t.label}{b && <span className={`tab-badge badge-${b}`} />}
            </button>
          );
        })}
      </div>
      <div className="tab-panels">
        <div role="tabpanel" hidden={tab !== 'data'}><DataPanel /></div>
        <div role="tabpanel" hidden={tab !== 'train'}>{isGan ? <GanTrainingPanel visible={tab === 'train'} /> : <TrainingPanel visible={tab === 'train'} />}</div>
        <div role="tabpanel" hidden={tab !== 'runs'}><RunsPanel visible={tab === 'runs'} /></div>
        <div role="tabpanel" hidden={tab !== 'evaluate'}>{isGan ? <ClassifierOnly tab="evaluate" /> : <EvaluatePanel />}</div>
        <div role="tabpanel" hidden={tab !== 'explain'}>{isGan ? <ClassifierOnly tab="explain" /> : <ExplainPanel />}</div>
        <div role="tabpanel" hidden={tab !== 'export'}>{isGan ? <ClassifierOnly tab="export" /> : <ExportPanel />}</div>
      </div>
    </section>
  );
}

/** Evaluate, Explain and Export in a GAN project: they read a classifier's predictions, which a GAN has none of. */
function ClassifierOnly({ tab }: { tab: 'evaluate' | 'explain' | 'export' }) {
  return (
    <div className="panel" data-testid={`panel-${tab}`}>
      <div className="panel-empty" data-testid={`${tab}-gan-note`}>
        <p>{TABS.find((t) => t.id === tab)!.label} is for classifier projects. In this GAN project, the Train tab exports the trained generator (tfjs, ONNX) and generates images.</p>
      </div>
    </div>
  );
}
