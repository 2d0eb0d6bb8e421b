import { useMemo, useState } from 'react';
import type { GraphIssue } from '../../src-shared/graph/graph-analysis.ts';
import { applyFix, renameLayer, setTrainable, updateConfig } from '../../src-shared/graph/graph-edits.ts';
import { getLayerKind } from '../../src-shared/layers/layer-catalog.ts';
import { expandBlock } from '../../src-shared/graph/graph-blocks.ts';
import { BLOCK_CLASS, formatShape, type LayerSpec } from '../../src-shared/spec/model-spec.ts';
import { errorMessage, useClient } from '../client/client-context.tsx';
import { useAppStores, useEditor } from '../state/app-context.tsx';
import { saveBlockToLibrary } from '../state/block-library.ts';
import { deleteElements, makeBlockFromSelection } from './canvas-commands.ts';
import { formatBytes, formatCount, formatFlops, parseEdgeId } from './graph-view-model.ts';
import { describeParams } from './param-fields.ts';
import { ParamInput } from './ParamInput.tsx';

/**
 * The right-hand inspector: the selected layer's parameters (generated from its kind's
 * schema), its problems with their one-click fixes, or — with nothing selected — the
 * model's totals and whole-graph problems.
 */
export function Inspector() {
  const selection = useEditor((s) => s.selection);
  const spec = useEditor((s) => s.spec);
  const layer = selection.nodes.length === 1 ? spec.config.layers.find((l) => l.name === selection.nodes[0]) : undefined;
  return (
    <aside className="inspector" aria-label="Inspector" data-testid="inspector">
      {layer ? <LayerInspector key={layer.name} layer={layer} />
        : selection.nodes.length > 1 ? <MultiInspector names={selection.nodes} edges={selection.edges} />
          : selection.edges.length > 0 ? <EdgeInspector ids={selection.edges} />
            : <ModelInspector />}
    </aside>
  );
}

function LayerInspector({ layer }: { layer: LayerSpec }) {
  const { editor } = useAppStores();
  const node = useEditor((s) => s.analysis.nodes[layer.name]);
  const kind = getLayerKind(layer.class_name);
  const fields = useMemo(() => (kind ? describeParams(kind.params) : []), [kind]);
  const issues = node?.issues ?? [];
  return (
    <div className="inspector-body">
      <div className="pane-title">
        <span>{layer.class_name}</span>
        {kind && <span className={`category-chip cat-${kind.category.toLowerCase()}`}>{kind.category}</span>}
      </div>
      {kind && <p className="inspector-help">{kind.help}</p>}
      {layer.class_name === BLOCK_CLASS && <BlockSummary layer={layer} />}
      <NameField name={layer.name} />
      <dl className="inspector-facts">
        <dt>Input</dt>
        <dd data-testid="inspector-input-shape">{node && node.inputShapes.length > 0 ? node.inputShapes.map(formatShape).join(' + ') : '—'}</dd>
        <dt>Output</dt>
        <dd data-testid="inspector-output-shape">{node?.outputShape ? formatShape(node.outputShape) : '—'}</dd>
        <dt>Params</dt>
        <dd data-testid="inspector-params">
          {node?.params ? `${formatCount(node.params.trainable + node.params.nonTrainable)}` : '—'}
          {node?.params && node.params.nonTrainable > 0 && <span className="muted"> ({formatCount(node.params.nonTrainable)} non-trainable)</span>}
        </dd>
        <dt>FLOPs</dt>
        <dd data-testid="inspector-flops">{node?.flops === null || node?.flops === undefined ? '—' : formatFlops(node.flops)}</dd>
        <dt>Memory</dt>
        <dd data-testid="inspector-memory">{node?.activationBytes == null ? '—' : `${formatBytes(node.activationBytes)} per sample`}</dd>
      </dl>
      {issues.length > 0 && <IssueList issues={issues} />}
      {kind && fields.length > 0 && (
        <section className="inspector-section">
          <h3>Parameters</h3>
          {fields.map((f) => (
            <ParamInput
              key={f.key} field={f} value={layer.config[f.key]} schema={kind.params} config={layer.config}
              onCommit={(v) => editor.edit((s) => updateConfig(s, layer.name, { [f.key]: v }))}
            />
          ))}
        </section>
      )}
      {kind && fields.length === 0 && <p className="muted inspector-note">This layer has no parameters.</p>}
      {node?.params && node.params.trainable + node.params.nonTrainable > 0 && (
        <label className="check-row inspector-freeze" title="Transfer learning: keep this layer's (imported or trained) weights while the rest of the network trains">
          <input type="checkbox" checked={layer.trainable === false} data-testid="inspector-frozen"
            onChange={(e) => editor.edit((s) => setTrainable(s, [layer.name], !e.target.checked))} />
          Frozen — keep its weights while the rest trains
        </label>
      )}
      <div className="inspector-actions">
        <button type="button" className="danger" data-testid="btn-delete-layer" onClick={() => deleteElements(editor, [layer.name], [])}>
          Delete layer
        </button>
      </div>
    </div>
  );
}

function NameField({ name }: { name: string }) {
  const { editor } = useAppStores();
  const [draft, setDraft] = useState(name);
  const [error, setError] = useState<string | null>(null);
  const commit = (): void => {
    if (draft === name) return;
    let next;
    try {
      next = renameLayer(editor.get().spec, name, draft.trim());
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      return;
    }
    editor.edit(() => next);
    editor.select({ nodes: [draft.trim()], edges: [] });
  };
  return (
    <div className={`param-row${error ? ' has-error' : ''}`}>
      <label className="param-label" htmlFor="layer-name">name</label>
      <div className="param-control">
        <input
          id="layer-name" type="text" value={draft} spellCheck={false} data-testid="param-name"
          onChange={(e) => { setDraft(e.target.value); setError(null); }}
          onBlur={commit}
          onKeyDown={(e) => { if (e.key === 'Enter') commit(); if (e.key === 'Escape') { setDraft(name); setError(null); } }}
        />
      </div>
      {error && <div className="param-error" role="alert" data-testid="param-error-name">{error}</div>}
    </div>
  );
}

/** Problems, each with its message and — when the catalog knows one — a fix-it button. */
export function IssueList({ issues, showLayer = false }: { issues: readonly GraphIssue[]; showLayer?: boolean }) {
  const { editor } = useAppStores();
  return (
    <section className="inspector-section">
      <h3>Problems</h3>
      <ul className="issue-list" data-testid="issue-list">
        {issues.map((issue, i) => (
          <li key={i} className={`issue issue-${issue.severity}`} data-testid={`issue-${issue.code}`}>
            <span className="issue-icon" aria-label={issue.severity}>{issue.severity === 'error' ? '●' : '▲'}</span>
            <div className="issue-text">
              {showLayer && issue.layer && (
                <button type="button" className="link-button" onClick={() => editor.select({ nodes: [issue.layer as string], edges: [] })}>
                  {issue.layer}
                </button>
              )}
              <span>{issue.message}</span>
              {issue.fix && issue.layer && (
                <button
                  type="button" className="fix-button" data-testid={`btn-fix-${issue.layer}`}
                  onClick={() => editor.edit((s) => applyFix(s, issue.layer as string, issue.fix!))}
                >
                  {issue.fix.label}
                </button>
              )}
              {issue.layer && issue.otherFixes?.map((fix, n) => (
                <button
                  key={fix.label} type="button" className="fix-button" data-testid={`btn-fix-${issue.layer}-${n + 2}`}
                  onClick={() => editor.edit((s) => applyFix(s, issue.layer as string, fix))}
                >
                  {fix.label}
                </button>
              ))}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** A block instance: what is inside, and the way back to its layers. */
function BlockSummary({ layer }: { layer: LayerSpec }) {
  const { editor } = useAppStores();
  const client = useClient();
  const def = useEditor((s) => s.spec.blocks?.[String(layer.config.block)]);
  const [saved, setSaved] = useState<string | null>(null);
  const save = (): void => {
    if (!def) return;
    saveBlockToLibrary(client, String(layer.config.block), def).then(
      (file) => setSaved(`Saved to your library (${file})`),
      (err: unknown) => setSaved(`Could not save: ${errorMessage(err)}`),
    );
  };
  return (
    <section className="inspector-section" data-testid="block-summary">
      <p className="inspector-help">
        Block <b>{String(layer.config.block)}</b>{def ? `: ${def.layers.map((l) => l.class_name).join(' → ')}` : ' (missing from this project)'}
      </p>
      <div className="inspector-actions">
        <button type="button" data-testid="btn-expand-block" disabled={!def} onClick={() => editor.edit((s) => expandBlock(s, layer.name))}>
          Expand into its layers
        </button>
        <button type="button" data-testid="btn-save-block" disabled={!def} onClick={save}>Save to my library</button>
      </div>
      {saved && <p className="muted" data-testid="block-saved">{saved}</p>}
    </section>
  );
}

function MultiInspector({ names, edges }: { names: readonly string[]; edges: readonly string[] }) {
  const { editor } = useAppStores();
  const [blockName, setBlockName] = useState('block');
  return (
    <div className="inspector-body">
      <div className="pane-title">{names.length} layers selected</div>
      <p className="inspector-help">{names.join(', ')}</p>
      <section className="inspector-section">
        <h3>Make a block</h3>
        <p className="muted">One reusable node with these layers inside (one input, one output).</p>
        <div className="make-block-row">
          <input type="text" value={blockName} onChange={(e) => setBlockName(e.target.value)} spellCheck={false} aria-label="Block name" data-testid="block-name" />
          <button type="button" data-testid="btn-make-block" onClick={() => makeBlockFromSelection(editor, names, blockName)}>Make block</button>
        </div>
      </section>
      <section className="inspector-section">
        <h3>Transfer learning</h3>
        <p className="muted">Frozen layers keep their weights while the rest trains.</p>
        <div className="make-block-row">
          <button type="button" data-testid="btn-freeze-selection" onClick={() => editor.edit((s) => setTrainable(s, names, false))}>Freeze</button>
          <button type="button" data-testid="btn-unfreeze-selection" onClick={() => editor.edit((s) => setTrainable(s, names, true))}>Unfreeze</button>
        </div>
      </section>
      <div className="inspector-actions">
        <button type="button" className="danger" data-testid="btn-delete-selection" onClick={() => deleteElements(editor, names, edges)}>
          Delete {names.length} layers
        </button>
      </div>
    </div>
  );
}

function EdgeInspector({ ids }: { ids: readonly string[] }) {
  const { editor } = useAppStores();
  const analysis = useEditor((s) => s.analysis);
  return (
    <div className="inspector-body">
      <div className="pane-title">{ids.length === 1 ? 'Connection' : `${ids.length} connections`}</div>
      <ul className="edge-list">
        {ids.map((id) => {
          const e = parseEdgeId(id);
          if (!e) return null;
          const shape = analysis.nodes[e.from]?.outputShape;
          return (
            <li key={id}>
              <span className="mono">{e.from}</span> → <span className="mono">{e.to}</span>
              <div className="muted">carries {shape ? formatShape(shape) : 'an unknown shape'}</div>
            </li>
          );
        })}
      </ul>
      <div className="inspector-actions">
        <button type="button" className="danger" data-testid="btn-delete-edge" onClick={() => deleteElements(editor, [], ids)}>
          Delete {ids.length === 1 ? 'connection' : 'connections'}
        </button>
      </div>
    </div>
  );
}

function ModelInspector() {
  const analysis = useEditor((s) => s.analysis);
  const specName = useEditor((s) => s.spec.config.name);
  const { totals } = analysis;
  return (
    <div className="inspector-body">
      <div className="pane-title">Model</div>
      <dl className="inspector-facts">
        <dt>Name</dt><dd className="mono">{specName}</dd>
        <dt>Layers</dt><dd>{totals.layers}</dd>
        <dt>Trainable</dt><dd>{formatCount(totals.trainable)}</dd>
        <dt>Frozen</dt><dd>{formatCount(totals.nonTrainable)}</dd>
        <dt>FLOPs</dt><dd>{formatFlops(totals.flops)} per sample</dd>
        <dt>Memory</dt><dd>{formatBytes(totals.activationBytes)} of activations per sample</dd>
        <dt>Output</dt><dd>{analysis.outputs.map((o) => { const s = analysis.nodes[o]?.outputShape; return s ? `${o} ${formatShape(s)}` : o; }).join(', ') || '—'}</dd>
      </dl>
      {totals.layers === 0 ? <p className="inspector-help">Empty model: add an Input layer first, then stack layers below it.</p>
        : analysis.issues.length > 0 ? <IssueList issues={analysis.issues} showLayer />
          : <p className="ok-note" data-testid="model-valid">The model is valid and ready to train.</p>}
      <p className="muted inspector-note">Select a layer to edit its parameters. Shift-click to select several; Delete removes the selection.</p>
    </div>
  );
}
