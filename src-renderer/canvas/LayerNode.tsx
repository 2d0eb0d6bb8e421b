import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { formatCount, type LayerFlowNode } from './graph-view-model.ts';

/** Data flows top to bottom, as in Keras' model plots and the auto-layout. */
export const INPUT_SIDE = Position.Top;
export const OUTPUT_SIDE = Position.Bottom;

/**
 * One layer on the canvas: its class, name, output shape and parameter count, and — when
 * something is wrong — the first problem in words, so nobody has to hover to learn why
 * a node is red.
 */
function LayerNodeView({ data, selected }: NodeProps<LayerFlowNode>) {
  const first = data.issues[0];
  const more = data.issues.length - 1;
  const cls = ['layer-node', `cat-${data.category.toLowerCase()}`, data.severity ? `is-${data.severity}` : '', selected ? 'is-selected' : '', data.frozen ? 'is-frozen' : '']
    .filter(Boolean).join(' ');
  return (
    <div className={cls} data-testid={`node-${data.name}`} data-severity={data.severity ?? 'ok'} title={data.issues.map((i) => i.message).join('\n') || undefined}>
      {data.acceptsInput && (
        <Handle type="target" position={INPUT_SIDE} className="layer-handle" data-testid={`handle-in-${data.name}`} />
      )}
      <div className="layer-node-head">
        <span className="layer-node-class">{data.className}</span>
        {data.frozen && <span className="layer-node-frozen" data-testid={`node-frozen-${data.name}`} title="Frozen: its weights stay as they are while the rest trains">frozen</span>}
        {data.severity && <span className={`layer-node-flag flag-${data.severity}`} aria-label={data.severity}>{data.severity === 'error' ? '!' : '⚠'}</span>}
      </div>
      <div className="layer-node-body">
        <span className="layer-node-name" data-testid={`node-name-${data.name}`}>{data.name}</span>
        {data.inputShape && (
          <span className="layer-node-shape block-shapes" data-testid={`node-shape-${data.name}`}>{data.inputShape} → {data.outputShape ?? '—'}</span>
        )}
        <span className="layer-node-meta">
          {!data.inputShape && <span className="layer-node-shape" data-testid={`node-shape-${data.name}`}>{data.outputShape ?? '—'}</span>}
          <span className="layer-node-params" data-testid={`node-params-${data.name}`}>
            {data.params === null ? '' : data.params === 0 ? 'no params' : `${formatCount(data.params)} params`}
          </span>
        </span>
      </div>
      {first && (
        <div className={`layer-node-issue issue-${first.severity}`} data-testid={`node-issue-${data.name}`}>
          <span className="layer-node-issue-text">{first.message}{more > 0 ? ` (+${more} more)` : ''}</span>
        </div>
      )}
      <Handle type="source" position={OUTPUT_SIDE} className="layer-handle" data-testid={`handle-out-${data.name}`} />
    </div>
  );
}

export const LayerNode = memo(LayerNodeView);
