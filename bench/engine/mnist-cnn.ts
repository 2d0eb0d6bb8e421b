import { chain } from '../../src-shared/spec/templates.ts';
import type { ModelSpec } from '../../src-shared/spec/model-spec.ts';

/** The architecture of Keras' `mnist_cnn` example as a Strata model; keras_mnist_cnn.py builds the same. */
export function mnistCnnSpec(): ModelSpec {
  return chain('mnist_cnn', [28, 28, 1], [
    ['Conv2D', { filters: 32, kernel_size: [3, 3], activation: 'relu' }],
    ['Conv2D', { filters: 64, kernel_size: [3, 3], activation: 'relu' }],
    ['MaxPooling2D', { pool_size: [2, 2] }],
    ['Dropout', { rate: 0.25 }],
    ['Flatten'],
    ['Dense', { units: 128, activation: 'relu' }],
    ['Dropout', { rate: 0.5 }],
    ['Dense', { units: 10, activation: 'softmax' }],
  ]);
}

export const BATCH_SIZE = 128;
