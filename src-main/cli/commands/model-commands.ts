import fs from 'node:fs';
import { analyzeGraph } from '../../../src-shared/graph/analyze-graph.ts';
import type { GraphAnalysis } from '../../../src-shared/graph/graph-analysis.ts';
import { kindsByCategory } from '../../../src-shared/layers/layer-catalog.ts';
import { formatShape } from '../../../src-shared/spec/model-spec.ts';
import { datasetShape } from '../../data/dataset-scan.ts';
import { scanImageFolder } from '../../data/image-folder/scan-image-folder.ts';
import { readProjectFile } from '../../projects/project-file.ts';
import type { CliIo } from '../cli-io.ts';

export const LAYERS_HELP = `strata layers [--json]
  Lists the layer catalog: each kind with its group, inputs, parameters with defaults and
  a one-line help.`;

export const INSPECT_HELP = `strata inspect <project.strata.json> [--json]
  Prints the model's analysis as the canvas shows it: shapes, parameters, FLOPs and
  activation memory per layer and in total, and every error and warning with its fix-it.
  The output layer is checked against the project's dataset when its folder is there.
  Exits 1 when the model has errors.`;

export function layersCommand(args: { json: boolean }, io: CliIo): number {
  const sections = kindsByCategory().map(({ category, kinds }) => ({
    group: category,
    kinds: kinds.map((k) => ({ kind: k.className, group: category, inputs: k.inputs, defaults: k.params.parse({}) as Record<string, unknown>, help: k.help })),
  }));
  if (args.json) {
    io.out(JSON.stringify(sections.flatMap((s) => s.kinds)));
    return 0;
  }
  const lines: string[] = [];
  for (const section of sections) {
    lines.push(section.group);
    for (const k of section.kinds) {
      const defaults = Object.entries(k.defaults).map(([key, v]) => `${key}=${JSON.stringify(v)}`).join(' ');
      lines.push(`  ${k.kind.padEnd(24)} ${k.help}`, ...(defaults ? [`  ${''.padEnd(24)} ${defaults}`] : []));
    }
  }
  io.out(lines.join('\n'));
  return 0;
}

const fmt = (n: number | null) => (n === null ? '—' : n.toLocaleString('en-US'));

export async function inspectCommand(args: { project: string; json: boolean }, io: CliIo): Promise<number> {
  const project = readProjectFile(args.project);
  let classes: number | undefined;
  let dataNote: string;
  if (project.data && fs.existsSync(project.data.path)) {
    if (project.data.kind === 'image-folder') {
      const scan = await scanImageFolder(project.data.path, project.data.labels);
      classes = scan.classes.length;
      dataNote = `dataset ${project.data.path}: ${classes} classes`;
    } else {
      // Tables, texts and series: what the data asks of the model's ends, loaded as training would.
      const shape = await datasetShape(project.data);
      if (shape.targets.type === 'classes') classes = shape.targets.classes.length;
      const what = shape.targets.type === 'classes' ? `${shape.targets.classes.length} classes` : `regression on ${shape.targets.columns.join(', ')}`;
      dataNote = `dataset ${project.data.path}: ${what}, samples of shape (${shape.sampleShape.join(', ')})`;
    }
  } else {
    dataNote = project.data ? `dataset ${project.data.path} not found: the output is not checked against it` : 'no dataset: the output is not checked against one';
  }
  const analysis = analyzeGraph(project.model, classes === undefined ? {} : { classes });
  if (args.json) {
    io.out(JSON.stringify({ project: project.name, classes: classes ?? null, ...analysis }));
  } else {
    io.out(formatAnalysis(project.name, analysis, dataNote));
  }
  return analysis.valid ? 0 : 1;
}

function formatAnalysis(name: string, a: GraphAnalysis, dataNote: string): string {
  const lines = [`${name} — ${dataNote}`, '', `  ${'layer'.padEnd(22)} ${'kind'.padEnd(20)} ${'output'.padEnd(16)} ${'params'.padStart(12)} ${'FLOPs'.padStart(14)} ${'bytes'.padStart(10)}`];
  const ordered = [...a.order, ...Object.keys(a.nodes).filter((n) => !a.order.includes(n))];
  for (const layer of ordered) {
    const n = a.nodes[layer]!;
    const params = n.params ? n.params.trainable + n.params.nonTrainable : null;
    lines.push(`  ${layer.padEnd(22)} ${n.className.padEnd(20)} ${(n.outputShape ? formatShape(n.outputShape) : '?').padEnd(16)} ${fmt(params).padStart(12)} ${fmt(n.flops).padStart(14)} ${fmt(n.activationBytes).padStart(10)}`);
  }
  const t = a.totals;
  lines.push('', `  total: ${t.layers} layers, ${fmt(t.trainable)} trainable + ${fmt(t.nonTrainable)} non-trainable parameters, ${fmt(t.flops)} FLOPs and ${fmt(t.activationBytes)} bytes of activations per sample`);
  if (a.issues.length === 0) {
    lines.push('  no problems: the model is ready to train');
  } else {
    lines.push('', '  problems:');
    for (const i of a.issues) {
      lines.push(`    [${i.severity}] ${i.layer ? `${i.layer}: ` : ''}${i.message}`);
      if (i.fix) lines.push(`        fix-it: ${i.fix.label}`);
    }
  }
  return lines.join('\n');
}
