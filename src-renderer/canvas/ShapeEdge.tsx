import { BaseEdge, EdgeLabelRenderer, getBezierPath, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import type { ShapeFlowEdge } from './graph-view-model.ts';

/** An edge labelled with the tensor shape that flows along it, e.g. "(24, 24, 6)". */
function ShapeEdgeView(props: EdgeProps<ShapeFlowEdge>) {
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, selected, markerEnd } = props;
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const cls = ['shape-edge', data?.mismatch ? 'is-mismatch' : '', selected ? 'is-selected' : ''].filter(Boolean).join(' ');
  return (
    <>
      <BaseEdge id={id} path={path} className={cls} markerEnd={markerEnd} interactionWidth={16} />
      <EdgeLabelRenderer>
        <div
          className={`shape-edge-label ${cls}`}
          data-testid={`edge-label-${props.source}-${props.target}`}
          style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
        >
          {data?.shape ?? '?'}
        </div>
      </EdgeLabelRenderer>
    </>
  );
}

export const ShapeEdge = memo(ShapeEdgeView);
