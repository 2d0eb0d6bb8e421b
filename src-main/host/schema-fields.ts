import type { z } from 'zod';

/** The zod v4 definition fields the walk reads; everything else is a leaf. */
interface WalkDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  element?: z.ZodType;
  options?: readonly z.ZodType[];
  left?: z.ZodType;
  right?: z.ZodType;
  valueType?: z.ZodType;
  items?: readonly z.ZodType[];
  getter?: () => z.ZodType;
}

const defOf = (schema: z.ZodType): WalkDef => (schema as unknown as { _zod: { def: WalkDef } })._zod.def;

/** The schema under optional/nullable/default/pipe wrappers: what the value itself is. */
export function unwrap(schema: z.ZodType): z.ZodType {
  const def = defOf(schema);
  if (def.innerType) return unwrap(def.innerType);
  if (def.type === 'pipe' && def.out) return unwrap(defOf(def.out).type === 'transform' ? def.in! : def.out);
  if (def.type === 'lazy' && def.getter) return unwrap(def.getter());
  return schema;
}

export const kindOf = (schema: z.ZodType): string => defOf(unwrap(schema)).type;

/**
 * Every object field in a schema, as a pointer (`data.labels.csv`, `training.probes[]`) with
 * the kind of value it holds (`string`, `array of string`, ...). Recursion stops at a schema
 * already on the way down.
 */
export function objectFields(schema: z.ZodType, prefix = '', seen: Set<z.ZodType> = new Set()): Array<{ at: string; key: string; kind: string }> {
  const s = unwrap(schema);
  if (seen.has(s)) return [];
  const inner = new Set(seen).add(s);
  const def = defOf(s);
  const join = (key: string): string => (prefix ? `${prefix}.${key}` : key);
  switch (def.type) {
    case 'object':
      return Object.entries(def.shape ?? {}).flatMap(([key, field]) => {
        const kind = kindOf(field);
        const isArray = kind === 'array';
        const element = isArray ? defOf(unwrap(field)).element! : field;
        const at = isArray ? `${join(key)}[]` : join(key);
        return [
          { at, key, kind: isArray ? `array of ${kindOf(element)}` : kind },
          ...objectFields(element, at, inner),
        ];
      });
    case 'array': return objectFields(def.element!, `${prefix}[]`, inner);
    case 'union': return (def.options ?? []).flatMap((o) => objectFields(o, prefix, inner));
    case 'intersection': return [...objectFields(def.left!, prefix, inner), ...objectFields(def.right!, prefix, inner)];
    case 'record': return objectFields(def.valueType!, `${prefix}.*`, inner);
    case 'tuple': return (def.items ?? []).flatMap((item, i) => objectFields(item, `${prefix}.${i}`, inner));
    default: return [];
  }
}

interface LeafDef extends WalkDef {
  values?: readonly unknown[];
  entries?: Record<string, unknown>;
}

const STRING_CANDIDATES = ['x', 'dense_1', 'x'.repeat(64)];
const NUMBER_CANDIDATES = [1, 0.1, 0.5, 2, 10, 100, 1000, 0];

/**
 * A small valid value of a schema, built from its definition (the first candidate a leaf
 * accepts, every optional field present). `known` supplies values for schemas whose rules
 * a walk cannot see (refinements, a model spec that must be a valid graph).
 */
export function exampleOf(schema: z.ZodType, known: ReadonlyMap<z.ZodType, unknown> = new Map()): unknown {
  if (known.has(schema)) return structuredClone(known.get(schema));
  const s = unwrap(schema);
  if (known.has(s)) return structuredClone(known.get(s));
  const def = defOf(s) as LeafDef;
  const first = (candidates: readonly unknown[]): unknown => candidates.find((c) => s.safeParse(c).success) ?? candidates[0];
  switch (def.type) {
    case 'string': return first(STRING_CANDIDATES);
    case 'number': return first(NUMBER_CANDIDATES);
    case 'boolean': return false;
    case 'literal': return def.values![0];
    case 'enum': return Object.values(def.entries!)[0];
    case 'object': return Object.fromEntries(Object.entries(def.shape ?? {}).map(([k, f]) => [k, exampleOf(f, known)]));
    case 'array': {
      const item = exampleOf(def.element!, known);
      return first([[item], [item, item], []]);
    }
    case 'tuple': return (def.items ?? []).map((item) => exampleOf(item, known));
    case 'union': return first((def.options ?? []).map((o) => exampleOf(o, known)));
    case 'record': return {};
    default: return null;
  }
}
