import { analyzeGraph } from '../../src-shared/graph/analyze-graph.ts';
import { graphIds } from '../../src-shared/graph/gan-canvas.ts';
import type { GraphAnalysis, GraphIssue } from '../../src-shared/graph/graph-analysis.ts';
import type { ModelSpec } from '../../src-shared/spec/model-spec.ts';

/**
 * The canvas analysis of a GAN project. Its canvas holds two models (graph/gan-canvas.ts),
 * each with its own output, so "a model has one output" holds per graph, not for the canvas:
 * MULTIPLE_OUTPUTS is kept only for a graph that itself ends in more than one layer. No
 * class count is checked — neither network predicts the dataset's classes. The GAN's own
 * checks (noise size, image sizes) are the Train tab's (checkGan), with the data.
 */
export function analyzeGanCanvas(spec: ModelSpec): GraphAnalysis {
  const analysis = analyzeGraph(spec);
  const graphOf = graphIds(spec.config.layers);
  const outputsOf = new Map<string, string[]>();
  for (const out of analysis.outputs) {
    const id = graphOf.get(out) ?? out;
    outputsOf.set(id, [...(outputsOf.get(id) ?? []), out]);
  }
  const fix = (issue: GraphIssue): GraphIssue | null => {
    if (issue.code !== 'MULTIPLE_OUTPUTS' || issue.layer === undefined) return issue;
    const mine = outputsOf.get(graphOf.get(issue.layer) ?? issue.layer) ?? [];
    if (mine.length < 2) return null;
    const others = mine.filter((o) => o !== issue.layer).join(', ');
    return { ...issue, message: `${issue.layer} ends its graph, and so does ${others}, but each network has one output: connect them into one layer (e.g. with Concatenate) or delete the extras` };
  };
  const keep = (issues: GraphIssue[]): GraphIssue[] => issues.map(fix).filter((i): i is GraphIssue => i !== null);
  const nodes = Object.fromEntries(Object.entries(analysis.nodes).map(([name, node]) => [name, { ...node, issues: keep(node.issues) }]));
  const issues = keep(analysis.issues);
  return { ...analysis, nodes, issues, valid: !issues.some((i) => i.severity === 'error') };
}
