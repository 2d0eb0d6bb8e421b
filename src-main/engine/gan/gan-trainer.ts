import type * as tfType from '@tensorflow/tfjs';
import type { GanSpec, GanTrainingConfig } from '../../../src-shared/contract/gan.ts';
import type { Tf } from '../backend/load-engine-backend.ts';
import { buildModel } from '../compile/compile-model.ts';
import { withSeededMathRandom } from '../train/compile-for-training.ts';
import { GeneratorAverage } from './generator-average.ts';

/** The two networks of a GAN, built from its specs, and the generator's averaged copy when the run keeps one. */
export interface GanModels {
  generator: tfType.LayersModel;
  discriminator: tfType.LayersModel;
  /** A second build of the generator's graph that GeneratorAverage turns into the weights' moving average. */
  averaged: tfType.LayersModel | null;
}

/** What one alternating step measured (plain numbers, read once per step). */
export interface GanStepResult {
  dLoss: number;
  gLoss: number;
  /** Real images the discriminator called real (p > 0.5) and generated ones it called fake, out of the batch. */
  realCorrect: number;
  fakeCorrect: number;
}

/**
 * Builds both networks with initial weights that follow the seed (tfjs draws initializer
 * seeds from Math.random; different offsets keep the two networks' draws apart).
 */
export function buildGanModels(tf: Tf, gan: GanSpec, seed: number, { averaged = false } = {}): GanModels {
  const generator = withSeededMathRandom(seed * 2 + 1, () => buildModel(tf, gan.generator));
  const discriminator = withSeededMathRandom(seed * 2 + 2, () => buildModel(tf, gan.discriminator));
  return { generator, discriminator, averaged: averaged ? buildModel(tf, gan.generator) : null };
}

/** `count × size` standard normal numbers (Box–Muller) from a seeded uniform source. */
export function normalNoise(random: () => number, count: number, size: number): Float32Array {
  const out = new Float32Array(count * size);
  for (let i = 0; i < out.length; i += 2) {
    const u = Math.max(random(), 1e-12);
    const v = random();
    const r = Math.sqrt(-2 * Math.log(u));
    out[i] = r * Math.cos(2 * Math.PI * v);
    if (i + 1 < out.length) out[i + 1] = r * Math.sin(2 * Math.PI * v);
  }
  return out;
}

/**
 * THE scaling between Strata's images and the GAN. The image loader gives pixels in [0, 1];
 * the generator ends in tanh, so it makes [-1, 1]. Real images are scaled up to [-1, 1]
 * before the discriminator sees them (here, `toGanRange`), and generated images are scaled
 * back to [0, 1] (`fromGanRange`) before anything outside the loop sees them: sample grids,
 * `strata generate`, the quality score.
 */
export function toGanRange(tf: Tf, pixels01: tfType.Tensor): tfType.Tensor {
  return tf.tidy(() => pixels01.mul(2).sub(1));
}

export function fromGanRange(tf: Tf, tanhImages: tfType.Tensor): tfType.Tensor {
  return tf.tidy(() => tanhImages.add(1).div(2).clipByValue(0, 1));
}

/** Trainable variables of a model, as the optimizer wants them (a model's own, nothing else). */
function variablesOf(model: tfType.LayersModel): tfType.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tfType.Variable);
}

/**
 * The alternating loop's step (Goodfellow et al. 2014, as DCGAN trains it):
 * 1. the discriminator learns on a real batch (target `realLabel`, one-sided label smoothing)
 *    and a generated batch (target 0): gradients for the discriminator's variables only;
 * 2. the generator learns through the discriminator — target "real" (1) for its images —
 *    with gradients for the generator's variables only, so the discriminator stays frozen.
 * Each network has its own Adam. Binary cross-entropy on the sigmoid output is clipped as
 * Keras clips it, so a confident discriminator gives a large loss, never Inf.
 */
export class GanTrainer {
  private readonly gOptimizer: tfType.Optimizer;
  private readonly dOptimizer: tfType.Optimizer;
  private readonly gVariables: tfType.Variable[];
  private readonly dVariables: tfType.Variable[];
  private readonly average: GeneratorAverage | null;

  constructor(
    private readonly tf: Tf,
    readonly models: GanModels,
    private readonly config: GanTrainingConfig,
    private readonly noiseSize: number,
    private readonly random: () => number,
  ) {
    if (config.generatorAverage > 0 && !models.averaged) throw new Error('generatorAverage is on: build the models with { averaged: true }');
    this.gOptimizer = tf.train.adam(config.generator.learningRate, config.generator.beta1);
    this.dOptimizer = tf.train.adam(config.discriminator.learningRate, config.discriminator.beta1);
    this.gVariables = variablesOf(models.generator);
    this.dVariables = variablesOf(models.discriminator);
    this.average = models.averaged && config.generatorAverage > 0 ? new GeneratorAverage(tf, models.averaged, models.generator, config.generatorAverage) : null;
  }

  /**
   * The generator the run keeps — checkpointed, exported, drawn in the sample grid: the
   * weights' moving average when `generatorAverage` > 0, else the last step's generator.
   */
  get keptGenerator(): tfType.LayersModel {
    return this.average?.model ?? this.models.generator;
  }

  private binaryCrossEntropy(p: tfType.Tensor, target: number): tfType.Scalar {
    const { tf } = this;
    const clipped = p.clipByValue(1e-7, 1 - 1e-7);
    return tf.neg(tf.add(clipped.log().mul(target), tf.sub(1, clipped).log().mul(1 - target))).mean() as tfType.Scalar;
  }

  private noise(count: number): tfType.Tensor2D {
    return this.tf.tensor2d(normalNoise(this.random, count, this.noiseSize), [count, this.noiseSize]);
  }

  /** One discriminator step and one generator step. `real` holds images in [-1, 1]. */
  step(real: tfType.Tensor4D): GanStepResult {
    const { tf, models: { generator, discriminator } } = this;
    const count = real.shape[0];
    const [dLoss, realCorrect, fakeCorrect] = tf.tidy(() => {
      // The generated batch is made outside the discriminator's tape: no gradient flows to the generator here.
      const fake = generator.apply(this.noise(count), { training: true }) as tfType.Tensor;
      let realP: tfType.Tensor | null = null;
      let fakeP: tfType.Tensor | null = null;
      const loss = this.dOptimizer.minimize(() => {
        realP = tf.keep(discriminator.apply(real, { training: true }) as tfType.Tensor);
        fakeP = tf.keep(discriminator.apply(fake, { training: true }) as tfType.Tensor);
        return this.binaryCrossEntropy(realP, this.config.realLabel).add(this.binaryCrossEntropy(fakeP, 0)).div(2) as tfType.Scalar;
      }, true, this.dVariables)!;
      const right = tf.stack([loss, (realP as unknown as tfType.Tensor).greater(0.5).sum().toFloat(), (fakeP as unknown as tfType.Tensor).lessEqual(0.5).sum().toFloat()]);
      tf.dispose([realP!, fakeP!]);
      return right.dataSync();
    }) as unknown as [number, number, number];

    const gLoss = tf.tidy(() => {
      const z = this.noise(count);
      const loss = this.gOptimizer.minimize(() => {
        const p = discriminator.apply(generator.apply(z, { training: true }) as tfType.Tensor, { training: true }) as tfType.Tensor;
        return this.binaryCrossEntropy(p, 1);
      }, true, this.gVariables)!;
      return loss.dataSync()[0]!;
    });
    this.average?.update();
    return { dLoss, gLoss, realCorrect, fakeCorrect };
  }

  /** The kept generator's images for `noise` (count × noiseSize), in [0, 1] — inference mode. */
  generate(noise: Float32Array, count: number): tfType.Tensor4D {
    const { tf } = this;
    return tf.tidy(() => fromGanRange(tf, this.keptGenerator.predict(tf.tensor2d(noise, [count, this.noiseSize])) as tfType.Tensor)) as tfType.Tensor4D;
  }

  dispose(): void {
    this.gOptimizer.dispose();
    this.dOptimizer.dispose();
    this.models.generator.dispose();
    this.models.discriminator.dispose();
    this.models.averaged?.dispose();
  }
}
