import { addLayer, autoLayout, connect } from '../graph/graph-edits.ts';
import { MODEL_SPEC_VERSION, type ModelSpec } from './model-spec.ts';

/** What a template is sized for; both default to small grey images in 10 classes (MNIST). */
export interface TemplateOptions {
  /** One sample's shape without the batch, e.g. [28, 28, 1]. */
  inputShape?: readonly number[];
  /** How many classes the last layer tells apart. */
  classes?: number;
}

/** A starting model the studio offers on "New". */
export interface ModelTemplate {
  id: string;
  title: string;
  description: string;
  build(options?: TemplateOptions): ModelSpec;
}

export const DEFAULT_TEMPLATE_OPTIONS = { inputShape: [28, 28, 1], classes: 10 } as const;

export type Step = readonly [className: string, config?: Record<string, unknown>];

/** An Input followed by a straight chain of layers, laid out top to bottom. */
export function chain(modelName: string, inputShape: readonly number[], steps: readonly Step[]): ModelSpec {
  let spec: ModelSpec = { schemaVersion: MODEL_SPEC_VERSION, class_name: 'Model', config: { name: modelName, layers: [] }, layout: {} };
  const input = addLayer(spec, 'Input', undefined, { shape: [...inputShape] });
  spec = input.spec;
  let previous = input.name;
  for (const [className, config] of steps) {
    const added = addLayer(spec, className, undefined, config);
    spec = connect(added.spec, previous, added.name);
    previous = added.name;
  }
  return autoLayout(spec, { all: true });
}

function resolve(options: TemplateOptions | undefined): { inputShape: readonly number[]; classes: number } {
  return {
    inputShape: options?.inputShape ?? DEFAULT_TEMPLATE_OPTIONS.inputShape,
    classes: options?.classes ?? DEFAULT_TEMPLATE_OPTIONS.classes,
  };
}

/** Every template, in the order the "New" dialog lists them. */
export const TEMPLATES: readonly ModelTemplate[] = [
  {
    id: 'mlp',
    title: 'Simple classifier (MLP)',
    description: 'Flattens each image and classifies it with one hidden layer of 128 units. Fast to train; a good first model.',
    build(options) {
      const { inputShape, classes } = resolve(options);
      // Flatten on data that is already flat is an error in tfjs, so leave it out there.
      const flatten: Step[] = inputShape.length > 1 ? [['Flatten']] : [];
      return chain('mlp', inputShape, [
        ...flatten,
        ['Dense', { units: 128, activation: 'relu' }],
        ['Dropout', { rate: 0.2 }],
        ['Dense', { units: classes, activation: 'softmax' }],
      ]);
    },
  },
  {
    id: 'lenet',
    title: 'LeNet-5 (small CNN)',
    description: 'The classic convolutional network for digits: two convolution + pooling stages, then three dense layers.',
    build(options) {
      const { inputShape, classes } = resolve(options);
      return chain('lenet', inputShape, [
        ['Conv2D', { filters: 6, kernel_size: [5, 5], activation: 'relu', padding: 'same' }],
        ['MaxPooling2D', { pool_size: [2, 2] }],
        ['Conv2D', { filters: 16, kernel_size: [5, 5], activation: 'relu', padding: 'valid' }],
        ['MaxPooling2D', { pool_size: [2, 2] }],
        ['Flatten'],
        ['Dense', { units: 120, activation: 'relu' }],
        ['Dense', { units: 84, activation: 'relu' }],
        ['Dense', { units: classes, activation: 'softmax' }],
      ]);
    },
  },
  {
    id: 'blank',
    title: 'Blank',
    description: 'Only an Input layer: build your own network from the palette.',
    build(options) {
      return chain('blank', resolve(options).inputShape, []);
    },
  },
];

export function getTemplate(id: string): ModelTemplate | undefined {
  return TEMPLATES.find((t) => t.id === id);
}
