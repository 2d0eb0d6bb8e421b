import type * as tfType from '@tensorflow/tfjs';
import type { Tf } from '../backend/load-engine-backend.ts';

/**
 * The generator a run keeps: an exponential moving average of the training generator's
 * weights over the steps (Yazıcı et al. 2019, "The unusual effectiveness of averaging in GAN
 * training"; Karras et al. 2018 keep their generator this way). The adversarial game makes
 * the training generator's weights circle around a good point rather than settle on it;
 * the average sits nearer that point, so its digits are cleaner than any single step's.
 *
 * Every weight is averaged — BatchNormalization's moving mean and variance too, so the
 * averaged model's statistics belong to weights like its own. The decay warms up as
 * TensorFlow's ExponentialMovingAverage does with `num_updates`, min(decay, (1+t)/(10+t)),
 * so early steps are not dragged toward the random initial weights for thousands of steps.
 */
export class GeneratorAverage {
  private readonly averaged: tfType.Variable[];
  private readonly live: tfType.Variable[];
  private updates = 0;

  /** `model` is a second, separately built copy of the generator's graph; it becomes the average. */
  constructor(private readonly tf: Tf, readonly model: tfType.LayersModel, source: tfType.LayersModel, readonly decay: number) {
    this.averaged = model.weights.map((w) => w.read() as tfType.Variable);
    this.live = source.weights.map((w) => w.read() as tfType.Variable);
    if (this.averaged.length !== this.live.length || this.averaged.some((v, i) => v.shape.join() !== this.live[i]!.shape.join())) {
      throw new Error('the averaged generator must be built from the same spec as the generator it follows');
    }
    this.averaged.forEach((v, i) => v.assign(this.live[i]!));
  }

  /** Moves the average toward the training generator's current weights: call once after each step. */
  update(): void {
    this.updates += 1;
    const d = Math.min(this.decay, (1 + this.updates) / (10 + this.updates));
    this.tf.tidy(() => {
      this.averaged.forEach((v, i) => v.assign(v.mul(d).add(this.live[i]!.mul(1 - d))));
    });
  }
}
