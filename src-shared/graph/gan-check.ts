import type { GanSpec } from '../contract/gan.ts';
import { formatShape, type Shape } from '../spec/model-spec.ts';
import { analyzeGraph } from './analyze-graph.ts';
import type { GraphAnalysis } from './graph-analysis.ts';

export type GanIssueCode =
  | 'GENERATOR_GRAPH'
  | 'DISCRIMINATOR_GRAPH'
  | 'NOISE_SIZE'
  | 'GENERATOR_DISCRIMINATOR_MISMATCH'
  | 'IMAGE_SIZE_MISMATCH'
  | 'DISCRIMINATOR_OUTPUT'
  | 'GENERATOR_ACTIVATION';

/** One problem of a GAN project; `network` says which graph the canvas should mark. */
export interface GanIssue {
  code: GanIssueCode;
  severity: 'error' | 'warning';
  network: 'generator' | 'discriminator';
  layer?: string;
  message: string;
}

const sameShape = (a: Shape, b: Shape): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

/** An Input layer's output is its shape, so the analysis already knows what a graph takes. */
function inputShape(analysis: GraphAnalysis): Shape | null {
  const name = analysis.inputs[0];
  return name === undefined ? null : analysis.nodes[name]?.outputShape ?? null;
}

function outputOf(analysis: GraphAnalysis): { layer: string; shape: Shape | null } | null {
  const name = analysis.outputs[0];
  return name === undefined ? null : { layer: name, shape: analysis.nodes[name]?.outputShape ?? null };
}

/**
 * Checks a GAN's two graphs against each other and against the dataset's images
 * (`imageShape` = [h, w, c] of the loaded images): each graph must be valid on its own;
 * the generator takes (noiseSize) and makes exactly the images the discriminator takes,
 * which are the dataset's; the discriminator says one number (real/fake).
 */
export function checkGan(gan: GanSpec, imageShape: Shape): GanIssue[] {
  const issues: GanIssue[] = [];
  const g = analyzeGraph(gan.generator);
  const d = analyzeGraph(gan.discriminator);
  for (const [network, analysis] of [['generator', g], ['discriminator', d]] as const) {
    for (const i of analysis.issues.filter((x) => x.severity === 'error')) {
      issues.push({ code: network === 'generator' ? 'GENERATOR_GRAPH' : 'DISCRIMINATOR_GRAPH', severity: 'error', network, ...(i.layer ? { layer: i.layer } : {}), message: `${network}: ${i.message}` });
    }
  }

  const gIn = inputShape(g);
  if (gIn && !sameShape(gIn, [gan.noiseSize])) {
    issues.push({ code: 'NOISE_SIZE', severity: 'error', network: 'generator', ...(g.inputs[0] ? { layer: g.inputs[0] } : {}), message: `The generator's input is ${formatShape(gIn)} but the noise size is ${gan.noiseSize}: set its Input shape to (${gan.noiseSize}) or the noise size to match.` });
  }

  const gOut = outputOf(g);
  const dIn = inputShape(d);
  if (gOut?.shape && dIn && !sameShape(gOut.shape, dIn)) {
    issues.push({ code: 'GENERATOR_DISCRIMINATOR_MISMATCH', severity: 'error', network: 'generator', layer: gOut.layer, message: `The generator makes ${formatShape(gOut.shape)} images but the discriminator takes ${formatShape(dIn)}: they must be the same shape.` });
  }
  if (gOut?.shape && !sameShape(gOut.shape, imageShape)) {
    issues.push({ code: 'IMAGE_SIZE_MISMATCH', severity: 'error', network: 'generator', layer: gOut.layer, message: `The generator makes ${formatShape(gOut.shape)} images but the dataset's images are ${formatShape(imageShape)}: change the generator's layers (or the data's image size) so they agree.` });
  }
  if (dIn && !sameShape(dIn, imageShape) && !(gOut?.shape && !sameShape(gOut.shape, dIn))) {
    issues.push({ code: 'IMAGE_SIZE_MISMATCH', severity: 'error', network: 'discriminator', ...(d.inputs[0] ? { layer: d.inputs[0] } : {}), message: `The discriminator takes ${formatShape(dIn)} images but the dataset's images are ${formatShape(imageShape)}: set its Input shape to (${imageShape.join(', ')}).` });
  }

  const dOut = outputOf(d);
  if (dOut?.shape && !sameShape(dOut.shape, [1])) {
    issues.push({ code: 'DISCRIMINATOR_OUTPUT', severity: 'error', network: 'discriminator', layer: dOut.layer, message: `The discriminator outputs ${formatShape(dOut.shape)} but must output one number (real or fake): end it with Dense(1, sigmoid).` });
  } else if (dOut) {
    const activation = gan.discriminator.config.layers.find((l) => l.name === dOut.layer)?.config.activation;
    if (activation !== 'sigmoid') {
      issues.push({ code: 'DISCRIMINATOR_OUTPUT', severity: 'error', network: 'discriminator', layer: dOut.layer, message: `The discriminator's last layer ${dOut.layer} uses ${String(activation ?? 'no activation')}; it must give a probability: set its activation to sigmoid.` });
    }
  }
  // Real images are scaled to [-1, 1] for training, so the generator's images must be there too.
  if (gOut) {
    const activation = gan.generator.config.layers.find((l) => l.name === gOut.layer)?.config.activation;
    if (activation !== 'tanh') {
      issues.push({ code: 'GENERATOR_ACTIVATION', severity: 'warning', network: 'generator', layer: gOut.layer, message: `The generator's last layer ${gOut.layer} uses ${String(activation ?? 'no activation')}; real images are scaled to [-1, 1] for training, so tanh matches them.` });
    }
  }
  return issues;
}
