import type * as tfType from '@tensorflow/tfjs';
import { analyzeGraph } from '../../../src-shared/graph/analyze-graph.ts';
import { flattenBlocks } from '../../../src-shared/graph/graph-blocks.ts';
import type { GraphIssue } from '../../../src-shared/graph/graph-analysis.ts';
import type { ModelSpec } from '../../../src-shared/spec/model-spec.ts';
import { StrataError } from '../../strata-error.ts';
import type { Tf } from '../backend/load-engine-backend.ts';
import { TFJS_LAYER_BUILDERS } from './tfjs-layer-builders.ts';

export type ModelCompileErrorCode = 'GRAPH_INVALID' | 'LAYER_BUILD_FAILED';

/**
 * Why a spec could not become a tfjs model. A StrataError, so it crosses to the window as
 * {code, message, details} with the analysis issues (and the failing layer) as details.
 */
export class ModelCompileError extends StrataError {
  constructor(
    override readonly code: ModelCompileErrorCode,
    message: string,
    /** The analysis errors behind GRAPH_INVALID. */
    readonly issues: readonly GraphIssue[] = [],
    /** The layer tfjs failed on, for LAYER_BUILD_FAILED. */
    readonly layer?: string,
  ) {
    super(code, message, { issues, ...(layer !== undefined && { layer }) });
    this.name = 'ModelCompileError';
  }
}

function describeIssues(spec: ModelSpec, issues: readonly GraphIssue[]): string {
  const classOf = new Map(spec.config.layers.map((l) => [l.name, l.class_name]));
  return issues
    .map((i) => `  - ${i.layer ? `${i.layer} (${classOf.get(i.layer) ?? '?'}): ` : ''}${i.message}`)
    .join('\n');
}

/**
 * Builds the spec as a tfjs functional model: one tf.input per Input layer, then each
 * layer applied to its inbound outputs in topological order, every tfjs layer named as in
 * the spec. Not compiled with an optimizer or loss; the training loop does that.
 */
export function buildModel(tf: Tf, blockSpec: ModelSpec, options: { skipAnalysis?: boolean } = {}): tfType.LayersModel {
  // Blocks are a canvas idea: tfjs gets their layers in their place.
  const spec = flattenBlocks(blockSpec);
  const analysis = analyzeGraph(spec);
  // skipAnalysis lets the catalog's property tests ask tfjs itself about a graph Strata refuses.
  if (!analysis.valid && !options.skipAnalysis) {
    const errors = analysis.issues.filter((i) => i.severity === 'error');
    throw new ModelCompileError(
      'GRAPH_INVALID',
      `The model "${spec.config.name}" has ${errors.length} problem${errors.length === 1 ? '' : 's'} to fix before it can be built:\n${describeIssues(spec, errors)}`,
      errors,
    );
  }

  const byName = new Map(spec.config.layers.map((l) => [l.name, l]));
  const outputs = new Map<string, tfType.SymbolicTensor>();
  for (const name of analysis.order) {
    const layer = byName.get(name);
    const build = layer && TFJS_LAYER_BUILDERS[layer.class_name];
    if (!layer || !build) throw new ModelCompileError('LAYER_BUILD_FAILED', `No tfjs builder for ${name}`, [], name);
    const inputs = layer.inbound.map((from) => outputs.get(from) as tfType.SymbolicTensor);
    try {
      outputs.set(name, build(tf, { name, config: layer.config, inputs }));
      // tfjs keeps a frozen layer's weights out of the optimizer's variables (fit and trainOnBatch alike).
      if (layer.trainable === false) (outputs.get(name) as tfType.SymbolicTensor).sourceLayer.trainable = false;
    } catch (err) {
      disposeBuilt(outputs);
      // The analysis accepted this layer, so tfjs disagreeing is a Strata bug; say where.
      const reason = err instanceof Error ? err.message : String(err);
      throw new ModelCompileError('LAYER_BUILD_FAILED', `tfjs could not build ${name} (${layer.class_name}): ${reason}`, [], name);
    }
  }

  const symbolic = (names: readonly string[]) => names.map((n) => outputs.get(n) as tfType.SymbolicTensor);
  const [output] = symbolic(analysis.outputs);
  return tf.model({ name: spec.config.name, inputs: symbolic(analysis.inputs), outputs: output as tfType.SymbolicTensor });
}

/** Frees the weights of layers built before a failure; they belong to no model yet. */
function disposeBuilt(outputs: ReadonlyMap<string, tfType.SymbolicTensor>): void {
  for (const tensor of outputs.values()) {
    try {
      tensor.sourceLayer.dispose();
    } catch {
      // Input layers and unbuilt layers have nothing to free.
    }
  }
}
