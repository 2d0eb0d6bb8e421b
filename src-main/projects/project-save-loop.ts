// A writer for the crash test (project-save-crash.test.ts): saves one large project over and
// over, a new name each time, until it is killed. Run with `node bin/run-ts.mjs <this> <file>`.
import { PROJECT_VERSION, ProjectSchema } from '../../src-shared/contract/project.ts';
import { getTemplate } from '../../src-shared/spec/templates.ts';
import { writeProjectFile } from './project-file.ts';

/** LeNet with a canvas layout of `positions` entries: about 60 bytes each in the file. */
export function largeProject(name: string, positions: number) {
  const model = getTemplate('lenet')!.build();
  const layout: Record<string, { x: number; y: number }> = { ...model.layout };
  for (let i = 0; i < positions; i++) layout[`note_${i}`] = { x: i, y: -i };
  return ProjectSchema.parse({ schemaVersion: PROJECT_VERSION, kind: 'strata-project', name, model: { ...model, layout } });
}

const [file, positionsArg] = process.argv.slice(2);
if (file && process.argv[1]?.endsWith('project-save-loop.ts')) {
  const positions = Number(positionsArg ?? 80_000);
  process.stdout.write('ready\n');
  for (let generation = 1; ; generation++) {
    writeProjectFile(file, largeProject(`gen-${generation}`, positions));
    process.stdout.write(`saved ${generation}\n`);
  }
}
