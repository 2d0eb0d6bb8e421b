import path from 'node:path';
import type * as tfType from '@tensorflow/tfjs';
import { ExplainOptionsSchema, type ExplainMethod } from '../../../src-shared/contract/explanation.ts';
import type { TrainingConfig } from '../../../src-shared/contract/project.ts';
import type { TrainEvent } from '../../../src-shared/contract/streams.ts';
import type { ModelSpec } from '../../../src-shared/spec/model-spec.ts';
import { decodeImageFile } from '../../data/image-folder/decode-image.ts';
import type { LoadedDataset } from '../../data/loaded-dataset.ts';
import { StrataError } from '../../strata-error.ts';
import type { Tf } from '../backend/load-engine-backend.ts';
import { attribute, lastConvLayer } from '../explain/attribution-maps.ts';
import { pngDataUrl, renderInputPng, renderOverlayPng } from '../explain/heatmap-overlay.ts';

type SaliencyEvent = Extract<TrainEvent, { type: 'saliency' }>;

interface Probe {
  id: string;
  label: string | null;
  pixels: Float32Array;
  /** The input as a PNG data: URL, rendered once. */
  image: string;
}

/** Probe maps are small on purpose: they stream at every epoch and go into the run's log. */
const PROBE_VIEW_SIZE = 96;
const DEFAULT_PROBES = 4;
const OPTIONS = ExplainOptionsSchema.parse({});

/**
 * Keeps the probes' cost under a share of training time: an epoch's maps are due only if,
 * at the last measured cost, the total probe time would stay within `budget` × the training
 * time so far. The first maps are always due — that is how the cost becomes known. A
 * budget of 1 means no limit: maps at every epoch, whatever they cost.
 */
export class ProbeBudget {
  private spentSeconds = 0;
  private lastCostSeconds: number | null = null;
  /** Epochs skipped since the last maps. */
  skipped = 0;

  constructor(readonly budget: number) {}

  due(trainedSeconds: number): boolean {
    const fits = this.budget >= 1 || this.lastCostSeconds === null || this.spentSeconds + this.lastCostSeconds <= this.budget * trainedSeconds;
    if (!fits) this.skipped += 1;
    return fits;
  }

  /** Records one round of maps; answers the share of training time spent on them so far. */
  spend(seconds: number, trainedSeconds: number): number {
    this.lastCostSeconds = seconds;
    this.spentSeconds += seconds;
    this.skipped = 0;
    return trainedSeconds > 0 ? this.spentSeconds / trainedSeconds : 0;
  }
}

/**
 * Live saliency during training: at epoch ends, Grad-CAM (when the graph has a conv layer)
 * and the gradient map of a few probe images, so the window can show how the model's
 * attention formed epoch by epoch, within a time budget (ProbeBudget).
 */
export class LiveSaliencyProbes {
  private readonly budget: ProbeBudget;
  readonly methods: ExplainMethod[];

  private constructor(
    private readonly tf: Tf,
    private readonly spec: ModelSpec,
    private readonly probes: Probe[],
    private readonly classes: string[],
    private readonly shape: [number, number, number],
    budget: number,
  ) {
    this.budget = new ProbeBudget(budget);
    this.methods = lastConvLayer(spec) ? ['gradcam', 'vanilla'] : ['vanilla'];
  }

  /** The probes of a run, or null when live saliency is off or does not apply (not an image classifier). */
  static async prepare(tf: Tf, spec: ModelSpec, training: TrainingConfig, dataPath: string, dataset: LoadedDataset): Promise<LiveSaliencyProbes | null> {
    const settings = training.liveSaliency;
    if (!settings.enabled || dataset.kind !== 'image-folder' || dataset.targets.type !== 'classes') return null;
    const [h, w, c] = dataset.sampleShape as [number, number, number];
    const classes = dataset.targets.classes;
    const fromValidation = (index: number): Omit<Probe, 'image'> => {
      const pixels = new Float32Array(dataset.validation.x.sampleSize);
      dataset.validation.x.gather([index], pixels);
      return { id: dataset.validation.ids[index]!, label: classes[(dataset.validation.y as Int32Array)[index]!] ?? null, pixels };
    };
    let picked: Array<Omit<Probe, 'image'>>;
    if (settings.probes.length > 0) {
      picked = await Promise.all(settings.probes.map(async (p) => {
        const index = dataset.validation.ids.indexOf(p);
        if (index >= 0) return fromValidation(index);
        const file = path.resolve(dataPath, p);
        try {
          return { id: p, label: null, pixels: await decodeImageFile(file, [h, w], c as 1 | 3) };
        } catch (err) {
          throw new StrataError('BAD_PROBE', `The live-saliency probe ${file} cannot be read (${err instanceof Error ? err.message : String(err)}); unpin it or choose another image.`);
        }
      }));
    } else {
      // One validation image per class, in class order, so the timeline shows several classes.
      const y = dataset.validation.y as Int32Array;
      const firstOf = new Map<number, number>();
      for (let i = 0; i < y.length && firstOf.size < classes.length; i++) if (!firstOf.has(y[i]!)) firstOf.set(y[i]!, i);
      picked = [...firstOf.entries()].sort((a, b) => a[0] - b[0]).slice(0, DEFAULT_PROBES).map(([, i]) => fromValidation(i));
    }
    if (picked.length === 0) return null;
    const probes = await Promise.all(picked.map(async (p) => ({ ...p, image: pngDataUrl(await renderInputPng(p.pixels, h, w, c, PROBE_VIEW_SIZE)) })));
    return new LiveSaliencyProbes(tf, spec, probes, classes, [h, w, c], settings.budget);
  }

  /** Whether this epoch's maps fit in the budget, given the training seconds so far. */
  due(trainedSeconds: number): boolean {
    return this.budget.due(trainedSeconds);
  }

  /** The probes' maps under the model's current weights. */
  async capture(model: tfType.LayersModel, epoch: number, trainedSeconds: number): Promise<SaliencyEvent> {
    const started = performance.now();
    const [h, w, c] = this.shape;
    const probes: SaliencyEvent['probes'] = [];
    for (const probe of this.probes) {
      const probabilities = this.tf.tidy(() => {
        const out = model.predict(this.tf.tensor4d(probe.pixels, [1, h, w, c])) as tfType.Tensor2D;
        const activation = this.spec.config.layers.find((l) => l.name === model.outputNames[0])?.config.activation;
        return Array.from((activation === 'softmax' ? out : this.tf.softmax(out)).dataSync());
      });
      const classIndex = probabilities.indexOf(Math.max(...probabilities));
      const maps: Record<string, string> = {};
      for (const method of this.methods) {
        const map = attribute(this.tf, model, this.spec, probe.pixels, this.shape, classIndex, method, OPTIONS);
        maps[method] = pngDataUrl(await renderOverlayPng(probe.pixels, h, w, c, map, PROBE_VIEW_SIZE));
      }
      probes.push({ id: probe.id, label: probe.label, predicted: this.classes[classIndex]!, confidence: probabilities[classIndex]!, image: probe.image, maps });
    }
    const seconds = (performance.now() - started) / 1000;
    const skippedEpochs = this.budget.skipped;
    const share = this.budget.spend(seconds, trainedSeconds);
    return { type: 'saliency', epoch, seconds, share, skippedEpochs, probes };
  }
}
