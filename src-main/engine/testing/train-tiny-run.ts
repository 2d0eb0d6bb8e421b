import path from 'node:path';
import { DataConfigSchema } from '../../../src-shared/contract/data-config.ts';
import { TrainingConfigSchema } from '../../../src-shared/contract/project.ts';
import { chain } from '../../../src-shared/spec/templates.ts';
import { runTraining } from '../train/train-run.ts';
import { writeDigitFolder } from './write-digit-folder.ts';

/**
 * A real trained run to export in tests, made in seconds: 80 real digits (with a test
 * split), a tiny CNN with BatchNormalization (whose moving statistics exports must carry)
 * and optionally Dropout (which must vanish at inference), one epoch. Returns its folder.
 */
export async function trainTinyDigitsRun(work: string, options: { dropout?: boolean } = {}): Promise<string> {
  const digits = path.join(work, 'digits');
  await writeDigitFolder(digits, { perClass: 8, seed: 3 });
  const runDir = path.join(work, 'run-tiny');
  const spec = chain('tiny_digits', [28, 28, 1], [
    ['Conv2D', { filters: 4, kernel_size: [3, 3], activation: 'relu' }], ['MaxPooling2D', {}], ['BatchNormalization', {}],
    ...(options.dropout ? [['Dropout', { rate: 0.2 }] as const] : []), ['Flatten'], ['Dense', { units: 10, activation: 'softmax' }],
  ]);
  const end = await runTraining({
    runId: 'run-tiny', runDir, spec,
    data: DataConfigSchema.parse({ kind: 'image-folder', path: digits, imageSize: [28, 28], channels: 1, testSplit: 0.1 }),
    training: TrainingConfigSchema.parse({ epochs: 1, batchSize: 16, learningRate: 0.003, seed: 5 }),
  }, () => {}, new AbortController().signal);
  if (end.status !== 'completed') throw new Error(`training the tiny digits run failed: ${end.reason}`);
  return runDir;
}
