import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ExplainMethodSchema, ExplainOptionsSchema, type ExplainOptionsInput, type FeatureExplanation } from '../../../src-shared/contract/explanation.ts';
import { explainFeatures } from '../../engine/explain/explain-features.ts';
import { attributionFor } from '../../engine/explain/explain-image.ts';
import { readRunRecord } from '../../engine/train/run-store.ts';
import { UsageError, type CliIo } from '../cli-io.ts';

export const EXPLAIN_HELP = `strata explain <runDir> --input <image> --method <m> [--out <png>] [--json]
  Image runs: the attribution map of the predicted class. Methods: vanilla, smoothgrad
  (--samples N, --sigma s), integrated-gradients (--steps M, --baseline black|white|blur|noise),
  gradcam (--layer <conv layer>, default the last), occlusion (--patch P, --stride S).
  --out writes the map over the image as a PNG; --json prints the prediction and the map
  itself (width, height, map: row-major, non-negative, at the model's input resolution).
strata explain <runDir> (--sample N | --row '<json>' | --text "<text>") [--json]
  Table and text runs: Integrated Gradients per column (a row of values) or per token.`;

const FLAGS = {
  input: { type: 'string' }, method: { type: 'string', default: 'vanilla' }, out: { type: 'string' }, json: { type: 'boolean', default: false },
  samples: { type: 'string' }, sigma: { type: 'string' }, steps: { type: 'string' }, baseline: { type: 'string' },
  layer: { type: 'string' }, patch: { type: 'string' }, stride: { type: 'string' },
  sample: { type: 'string' }, row: { type: 'string' }, text: { type: 'string' }, help: { type: 'boolean', default: false },
} as const;

function num(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new UsageError(`${flag} must be a number, not "${value}"`);
  return n;
}

/** The method settings from the flags, checked by the contract's own schema. */
function optionsFrom(v: Record<string, string | boolean | undefined>) {
  const s = (k: string): string | undefined => (typeof v[k] === 'string' ? (v[k] as string) : undefined);
  const input: ExplainOptionsInput = {
    smoothgrad: { samples: num(s('samples'), '--samples'), sigma: num(s('sigma'), '--sigma') },
    integratedGradients: { steps: num(s('steps'), '--steps'), baseline: s('baseline') as 'black' | undefined },
    gradcam: { layer: s('layer') },
    occlusion: { patch: num(s('patch'), '--patch'), stride: num(s('stride'), '--stride') },
  };
  const parsed = ExplainOptionsSchema.safeParse(JSON.parse(JSON.stringify(input))); // drops the undefineds
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const flag = { samples: '--samples', sigma: '--sigma', steps: '--steps', baseline: '--baseline', layer: '--layer', patch: '--patch', stride: '--stride' }[String(issue.path.at(-1))] ?? String(issue.path.join('.'));
    throw new UsageError(`${flag}: ${issue.message}`);
  }
  return parsed.data;
}

export async function explainFromArgs(rest: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args: rest, options: FLAGS, allowPositionals: true, strict: true });
  if (values.help) return io.out(EXPLAIN_HELP), 0;
  const runDir = positionals[0];
  if (!runDir) throw new UsageError('the run folder is required');
  const kind = readRunRecord(path.resolve(runDir)).data.kind;
  if (kind !== 'image-folder') return explainNonImage(runDir, values, io);
  if (!values.input) throw new UsageError('--input <image> is required for an image run');
  const method = ExplainMethodSchema.safeParse(values.method);
  if (!method.success) throw new UsageError(`--method must be one of ${ExplainMethodSchema.options.join(', ')}, not "${values.method}"`);
  if (!values.out && !values.json) throw new UsageError('give --out <png> to write the map, or --json to print it');
  const result = await attributionFor(runDir, path.resolve(values.input), method.data, optionsFrom(values));
  if (values.out) {
    fs.mkdirSync(path.dirname(path.resolve(values.out)), { recursive: true });
    fs.writeFileSync(values.out, result.overlay);
  }
  if (values.json) {
    io.out(JSON.stringify({
      predicted: result.predicted,
      probabilities: Object.fromEntries(result.classes.map((c, i) => [c, result.probabilities[i]])),
      method: method.data, milliseconds: result.milliseconds, width: result.map.width, height: result.map.height, map: Array.from(result.map.map),
    }));
  } else {
    io.out(`${values.input}: ${result.predicted}; ${method.data} map (${result.milliseconds.toFixed(0)} ms) written to ${path.resolve(values.out!)}`);
  }
  return 0;
}

async function explainNonImage(runDir: string, values: { sample?: string; row?: string; text?: string; json?: boolean }, io: CliIo): Promise<number> {
  const given = [values.sample, values.row, values.text].filter((v) => v !== undefined).length;
  if (given !== 1) throw new UsageError('name one input: --sample <validation index>, --row \'{"column": "value", ...}\' or --text "<text>"');
  let input: Parameters<typeof explainFeatures>[1];
  if (values.sample !== undefined) {
    const index = Number(values.sample);
    if (!Number.isInteger(index) || index < 0) throw new UsageError(`--sample must be a validation sample index (0, 1, ...), not "${values.sample}"`);
    input = { kind: 'sample', index, split: 'validation' };
  } else if (values.row !== undefined) {
    let row: unknown;
    try {
      row = JSON.parse(values.row);
    } catch {
      throw new UsageError('--row must be a JSON object of column → value, e.g. \'{"age": "41", "city": "Oslo"}\'');
    }
    if (!row || typeof row !== 'object' || Array.isArray(row)) throw new UsageError('--row must be a JSON object of column → value');
    input = { kind: 'row', values: Object.fromEntries(Object.entries(row).map(([k, v]) => [k, String(v)])) };
  } else {
    input = { kind: 'text', text: values.text! };
  }
  const result = await explainFeatures(runDir, input);
  if (values.json) io.out(JSON.stringify(result));
  else io.out(describe(result));
  return 0;
}

/** The attribution as aligned lines, strongest first (columns) or in reading order (tokens). */
function describe(result: FeatureExplanation): string {
  const lines = [`predicted: ${result.predicted}`];
  if (result.attribution.kind === 'features') {
    const sorted = [...result.attribution.features].sort((a, b) => Math.abs(b.attribution) - Math.abs(a.attribution));
    const width = Math.max(...sorted.map((f) => f.name.length), 6);
    for (const f of sorted) lines.push(`  ${f.name.padEnd(width)}  ${f.attribution >= 0 ? '+' : ''}${f.attribution.toFixed(4)}  (${f.value})`);
  } else {
    lines.push(`  ${result.attribution.tokens.map((t) => `${t.token}${t.known ? '' : '?'}[${t.attribution >= 0 ? '+' : ''}${t.attribution.toFixed(3)}]`).join(' ')}`);
  }
  return lines.join('\n');
}
