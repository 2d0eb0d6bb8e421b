import { describe, expect, it } from 'vitest';
import { ImageDataConfigSchema, TableDataConfigSchema } from '../../src-shared/contract/data-config.ts';
import { dcganTemplate, GanEventSchema } from '../../src-shared/contract/gan.ts';
import { joinGanCanvas } from '../../src-shared/graph/gan-canvas.ts';
import { removeLayers, updateConfig } from '../../src-shared/graph/graph-edits.ts';
import { ganCheckpointEpoch, IDLE_GAN_SESSION, isGanActive, reduceGanEvent } from '../state/gan-session.ts';
import { generatorExportPath, ganReadiness, imageShapeOf, noiseInput, timelineIndex, withNoiseSize } from './gan-view.ts';

const canvas = joinGanCanvas(dcganTemplate([28, 28, 1]));
const digits = ImageDataConfigSchema.parse({ kind: 'image-folder', path: '/data/digits', imageSize: [28, 28], channels: 1 });

describe('ganReadiness', () => {
  it('passes the DCGAN canvas on 28×28 grayscale digits and hands gan.start the two networks', () => {
    const r = ganReadiness(canvas, digits, false);
    expect({
      checks: r.checks, blocker: r.blocker, data: r.data?.path, noise: r.gan?.noiseSize,
      generator: r.gan?.generator.config.layers[0]?.name, discriminator: r.gan?.discriminator.config.layers.at(-1)?.name,
    }).toEqual({ checks: [], blocker: null, data: '/data/digits', noise: 100, generator: 'input_1', discriminator: 'dense_1' });
  });

  it('names the canvas layers at fault when the data\'s images are another size, and blocks Train', () => {
    const r = ganReadiness(canvas, { ...digits, imageSize: [32, 32] }, false);
    expect({ at: r.checks.map((c) => [c.severity, c.network, c.layer]), first: r.checks[0]?.message, blocker: r.blocker }).toEqual({
      at: [['error', 'generator', 'gen_conv2d_transpose_3'], ['error', 'discriminator', 'disc_input_1']],
      first: 'The generator makes (28, 28, 1) images but the dataset\'s images are (32, 32, 1): change the generator\'s layers (or the data\'s image size) so they agree.',
      blocker: 'Fix the 2 problems listed above first.',
    });
  });

  it('reports a canvas that is not two networks, selecting a layer of the graph at fault', () => {
    const noInput = removeLayers(canvas, ['disc_input_1']);
    const r = ganReadiness(noInput, digits, false);
    expect({ checks: r.checks.map((c) => [c.layer, c.message]), gan: r.gan }).toEqual({
      checks: [
        ['disc_conv2d_1', 'The graph with "disc_conv2d_1" needs exactly one Input layer'],
        [null, 'No discriminator: a graph whose Input is an image [h, w, c]'],
      ],
      gan: null,
    });
  });

  it('says what data a GAN needs before it can train', () => {
    const table = TableDataConfigSchema.parse({ kind: 'csv-table', path: '/data/prices.csv', target: 'price' });
    expect([ganReadiness(canvas, null, false).blocker, ganReadiness(canvas, table, false).blocker, imageShapeOf(table), imageShapeOf({ ...digits, channels: 3 })]).toEqual([
      'Choose a folder of images in the Data tab: the GAN learns to make images like them.',
      'A GAN learns from a folder of images; the chosen data is not one.',
      null, [28, 28, 3],
    ]);
  });
});

describe('noise size', () => {
  it('reads and sets the generator\'s Input; the discriminator and the rest stay as they were', () => {
    const edited = withNoiseSize(canvas, 64);
    const r = ganReadiness(edited, digits, false);
    expect({
      before: noiseInput(canvas), after: noiseInput(edited), checks: r.checks, noise: r.gan?.noiseSize,
      same: withNoiseSize(canvas, 100) === canvas, changed: edited.config.layers.filter((l, i) => l !== canvas.config.layers[i]).map((l) => l.name),
    }).toEqual({
      before: { layer: 'gen_input_1', size: 100 }, after: { layer: 'gen_input_1', size: 64 }, checks: [], noise: 64, same: true, changed: ['gen_input_1'],
    });
  });

  it('finds no noise input on a canvas without a vector Input', () => {
    expect(noiseInput(updateConfig(canvas, 'gen_input_1', { shape: [10, 10] }))).toBeNull();
  });
});

describe('the sample timeline and the GAN session', () => {
  it('follows the newest frame until the user picks one, and clamps a pick to the frames there are', () => {
    expect([timelineIndex(3, null), timelineIndex(3, 0), timelineIndex(2, 5), timelineIndex(0, null)]).toEqual([2, 0, 1, -1]);
  });

  it('folds a run\'s events into curves, one frame per epoch, and the end', () => {
    const events = [
      { type: 'started', runDir: '/r/g1', epochs: 2, batchesPerEpoch: 4, trainCount: 128, imageShape: [28, 28, 1], noiseSize: 100, backend: 'tensorflow', backendLine: 'native' },
      { type: 'batch', epoch: 1, batch: 2, d_loss: 0.7, g_loss: 0.9, progress: 0.25, etaSeconds: 3 },
      { type: 'epoch', epoch: 1, d_loss: 0.6, g_loss: 1.1, d_acc_real: 0.8, d_acc_fake: 0.7, seconds: 2 },
      { type: 'samples', epoch: 1, file: 'samples/epoch-1.png', width: 8, height: 8, png: 'data:image/png;base64,AAA' },
      { type: 'samples', epoch: 1, file: 'samples/epoch-1.png', width: 8, height: 8, png: 'data:image/png;base64,AAA' },
      { type: 'end', status: 'completed', runDir: '/r/g1' },
    ].map((e) => GanEventSchema.parse(e));
    const s = events.reduce(reduceGanEvent, { ...IDLE_GAN_SESSION, phase: 'running' as const, runId: 'g1' });
    expect({ batches: s.batches, epochs: s.epochs.map((e) => [e.x, e.d_acc_real]), frames: s.frames.map((f) => f.epoch), phase: s.phase, active: isGanActive(s), checkpoint: ganCheckpointEpoch(s), fraction: s.progress?.fraction })
      .toEqual({ batches: [{ x: 0.5, d_loss: 0.7, g_loss: 0.9 }], epochs: [[1, 0.8]], frames: [1], phase: 'ended', active: false, checkpoint: 1, fraction: 1 });
  });

  it('writes the generator beside the chosen folder, named after the run', () => {
    expect([generatorExportPath('tfjs', '/out/', 'gan-1'), generatorExportPath('onnx', '/out', 'gan-1'), generatorExportPath('onnx', 'C:\\out', 'gan-1')])
      .toEqual(['/out/gan-1-generator', '/out/gan-1-generator.onnx', 'C:\\out\\gan-1-generator.onnx']);
  });
});
