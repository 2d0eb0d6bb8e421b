import { useState } from 'react';
import type { z } from 'zod';
import { formatFieldValue, parseFieldText, validateParam, type ParamField } from './param-fields.ts';

interface Props {
  field: ParamField;
  value: unknown;
  schema: z.ZodType;
  config: Record<string, unknown>;
  onCommit(value: unknown): void;
}

/**
 * One parameter, drawn from its schema description. Valid input is committed as the person
 * types, so shapes update live; invalid input stays in the box with the schema's own
 * message under it and is not committed, so the model never holds a value the catalog rejects.
 */
export function ParamInput({ field, value, schema, config, onCommit }: Props) {
  const [error, setError] = useState<string | null>(null);
  const tryCommit = (next: unknown): boolean => {
    const message = validateParam(schema, config, field.key, next);
    setError(message);
    if (message === null) onCommit(next);
    return message === null;
  };
  const label = field.key.replace(/_/g, ' ');
  const isNull = value === null;

  return (
    <div className={`param-row${error ? ' has-error' : ''}`}>
      <label className="param-label" htmlFor={`param-${field.key}`} title={field.key}>{label}</label>
      <div className="param-control">
        {field.nullable && (
          <label className="param-auto" title="Leave it to the layer (Keras' default)">
            <input
              type="checkbox" checked={isNull} data-testid={`param-${field.key}-auto`}
              onChange={(e) => tryCommit(e.target.checked ? null : exampleValue(field, config))}
            />
            auto
          </label>
        )}
        {!isNull && <Control field={field} value={value} onValue={tryCommit} onParseError={setError} />}
      </div>
      {error && <div className="param-error" role="alert" data-testid={`param-error-${field.key}`}>{error}</div>}
    </div>
  );
}

function Control({ field, value, onValue, onParseError }: { field: ParamField; value: unknown; onValue(v: unknown): boolean; onParseError(m: string): void }) {
  switch (field.kind) {
    case 'boolean':
      return <input id={`param-${field.key}`} type="checkbox" checked={value === true} data-testid={`param-${field.key}`} onChange={(e) => onValue(e.target.checked)} />;
    case 'enum':
      return (
        <select id={`param-${field.key}`} value={String(value)} data-testid={`param-${field.key}`} onChange={(e) => onValue(e.target.value)}>
          {field.options.map((o) => <option key={o} value={o}>{o}</option>)}
        </select>
      );
    case 'pair': {
      const pair = Array.isArray(value) ? value : [value, value];
      return (
        <span className="param-pair" data-testid={`param-${field.key}`}>
          {[0, 1].map((i) => (
            <DraftText
              key={i} id={i === 0 ? `param-${field.key}` : undefined} testId={`param-${field.key}-${i}`} value={pair[i]} narrow
              parse={(t) => parseFieldText({ key: field.key, kind: 'number', integer: field.integer, min: null, max: null, nullable: false }, t)}
              onValue={(v) => onValue(i === 0 ? [v, pair[1]] : [pair[0], v])} onParseError={onParseError}
            />
          ))}
          <span className="param-pair-hint">h × w</span>
        </span>
      );
    }
    default:
      return (
        <DraftText
          id={`param-${field.key}`} testId={`param-${field.key}`} value={value}
          parse={(t) => parseFieldText(field, t)} onValue={onValue} onParseError={onParseError}
        />
      );
  }
}

/** A text box that keeps what was typed while it is being edited, even when it is not valid yet. */
function DraftText({ id, testId, value, parse, onValue, onParseError, narrow }: {
  id?: string; testId: string; value: unknown; narrow?: boolean;
  parse(text: string): { ok: true; value: unknown } | { ok: false; message: string };
  onValue(v: unknown): boolean; onParseError(m: string): void;
}) {
  const [draft, setDraft] = useState<string | null>(null);
  const [valid, setValid] = useState(true);
  return (
    <input
      id={id} type="text" className={narrow ? 'narrow' : undefined} data-testid={testId} spellCheck={false}
      value={draft ?? formatFieldValue(value)}
      onChange={(e) => {
        setDraft(e.target.value);
        const r = parse(e.target.value);
        if (r.ok) setValid(onValue(r.value));
        else { setValid(false); onParseError(r.message); }
      }}
      // Once valid, show the value as the model holds it; an invalid draft stays to be fixed.
      onBlur={() => { if (valid) setDraft(null); }}
      onKeyDown={(e) => { if (e.key === 'Enter') (e.target as HTMLInputElement).blur(); }}
    />
  );
}

/** The value a nullable field gets when "auto" is switched off: a sensible start to edit from. */
function exampleValue(field: ParamField, config: Record<string, unknown>): unknown {
  if (field.kind === 'pair') {
    // For pooling strides, "auto" means "the window's own size", so start from that.
    const window = config.pool_size;
    return Array.isArray(window) ? window : [1, 1];
  }
  if (field.kind === 'number') return field.min ?? 1;
  if (field.kind === 'boolean') return false;
  if (field.kind === 'enum') return field.options[0] ?? '';
  if (field.kind === 'list') return [1];
  return '';
}
