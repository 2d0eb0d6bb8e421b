import type { z } from 'zod';

/**
 * Turns a layer kind's zod params schema into the list of fields the inspector draws.
 * The schema is the single source of truth: defaults, enum options, integer-ness and
 * bounds come from it, and so do the error messages shown next to a field.
 */
export type ParamField =
  | { key: string; kind: 'number'; integer: boolean; min: number | null; max: number | null; nullable: boolean }
  | { key: string; kind: 'enum'; options: string[]; nullable: boolean }
  | { key: string; kind: 'boolean'; nullable: boolean }
  | { key: string; kind: 'pair'; integer: boolean; nullable: boolean }
  | { key: string; kind: 'list'; nullable: boolean }
  | { key: string; kind: 'text'; nullable: boolean };

/** The part of zod 4's internal definition the inspector reads; unknown shapes fall back to text. */
interface Def {
  type: string;
  innerType?: ZodLike;
  shape?: Record<string, ZodLike>;
  entries?: Record<string, string | number>;
  items?: ZodLike[];
  element?: ZodLike;
  in?: ZodLike;
}
interface ZodLike {
  _zod: { def: Def };
  isInt?: boolean;
  minValue?: number | null;
  maxValue?: number | null;
}

export function describeParams(schema: z.ZodType): ParamField[] {
  const root = unwrap(schema as unknown as ZodLike).type;
  const shape = root._zod.def.shape;
  if (!shape) return [];
  return Object.entries(shape).map(([key, s]) => describe(key, s));
}

function unwrap(s: ZodLike): { type: ZodLike; nullable: boolean } {
  let cur = s;
  let nullable = false;
  for (;;) {
    const def = cur._zod.def;
    if ((def.type === 'default' || def.type === 'optional' || def.type === 'prefault' || def.type === 'readonly' || def.type === 'nullable') && def.innerType) {
      if (def.type === 'nullable') nullable = true;
      cur = def.innerType;
    } else if (def.type === 'pipe' && def.in) {
      cur = def.in;
    } else {
      return { type: cur, nullable };
    }
  }
}

function describe(key: string, schema: ZodLike): ParamField {
  const { type, nullable } = unwrap(schema);
  const def = type._zod.def;
  switch (def.type) {
    case 'number':
      return { key, kind: 'number', integer: type.isInt === true, min: finite(type.minValue), max: finite(type.maxValue), nullable };
    case 'boolean':
      return { key, kind: 'boolean', nullable };
    case 'enum':
      return { key, kind: 'enum', options: Object.values(def.entries ?? {}).map(String), nullable };
    case 'tuple': {
      const items = def.items ?? [];
      const first = items[0] ? unwrap(items[0]).type : null;
      if (items.length === 2 && first?._zod.def.type === 'number') return { key, kind: 'pair', integer: first.isInt === true, nullable };
      return { key, kind: 'list', nullable };
    }
    case 'array':
      return { key, kind: 'list', nullable };
    default:
      return { key, kind: 'text', nullable };
  }
}

/** A real bound, not zod's implicit ±MAX_SAFE_INTEGER on integers. */
function finite(v: number | null | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) && Math.abs(v) < Number.MAX_SAFE_INTEGER ? v : null;
}

/** Reads what a person typed into a value for the field, or says why it is not one. */
export function parseFieldText(field: ParamField, text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  const t = text.trim();
  if (field.kind === 'number') {
    if (t === '') return { ok: false, message: `${field.key} needs a value` };
    const n = Number(t);
    return Number.isFinite(n) ? { ok: true, value: n } : { ok: false, message: `${field.key} must be a number, not "${t}"` };
  }
  if (field.kind === 'list' || field.kind === 'pair') {
    // "28×28×1" and "28x28x1" count as lists; a stray "x" elsewhere is an error, not a separator.
    const parts = t.replace(/^[[(]|[\])]$/g, '').replace(/(\d)\s*[x×]\s*(?=\d)/gi, '$1,').split(/[\s,]+/).filter((p) => p !== '');
    const nums = parts.map(Number);
    if (parts.length === 0 || nums.some((n) => !Number.isFinite(n))) {
      return { ok: false, message: `${field.key} must be numbers separated by commas, e.g. 28, 28, 1` };
    }
    return { ok: true, value: nums };
  }
  // Fields with richer values (ZeroPadding2D's [[1, 1], [2, 2]], Bidirectional's layer
  // config) are typed as JSON; a plain word stays a string.
  if (/^[[{]/.test(t) || /^-?\d+(\.\d+)?$/.test(t)) {
    try {
      return { ok: true, value: JSON.parse(t) };
    } catch {
      return { ok: false, message: `${field.key} is not valid JSON, e.g. [[1, 1], [1, 1]] or {"class_name": "LSTM", "config": {"units": 32}}` };
    }
  }
  return { ok: true, value: t };
}

/** How a value shows in a text box: lists as "28, 28, 1". */
export function formatFieldValue(value: unknown): string {
  if (Array.isArray(value)) return value.some((v) => typeof v === 'object' && v !== null) ? JSON.stringify(value) : value.join(', ');
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  if (value === null || value === undefined) return '';
  return String(value);
}

/**
 * Checks one field's new value against the whole schema (some rules look at the field
 * only, but the message must come from the schema), returning the message for that field.
 */
export function validateParam(schema: z.ZodType, config: Record<string, unknown>, key: string, value: unknown): string | null {
  const result = schema.safeParse({ ...config, [key]: value });
  if (result.success) return null;
  const issue = result.error.issues.find((i) => i.path[0] === key) ?? null;
  return issue ? issue.message : null;
}
