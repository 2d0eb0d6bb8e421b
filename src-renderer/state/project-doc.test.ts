import { describe, expect, it } from 'vitest';
import { ImageDataConfigSchema } from '../../src-shared/contract/data-config.ts';
import { ProjectSchema, TrainingConfigSchema } from '../../src-shared/contract/project.ts';
import { GanProjectSettingsSchema } from '../../src-shared/contract/gan.ts';
import { updateConfig } from '../../src-shared/graph/graph-edits.ts';
import { TEMPLATES } from '../../src-shared/spec/templates.ts';
import {
  checkProjectFileName, contentFromProject, defaultProjectFileName, isProjectFileName, sameContent, shortenPath, splitPath, toProjectFile,
  runsDirOf, valueKey, type ProjectContent,
} from './project-doc.ts';

const lenet = TEMPLATES.find((t) => t.id === 'lenet')!.build();
const digits = ImageDataConfigSchema.parse({ kind: 'image-folder', path: '/data/digits', imageSize: [28, 28], channels: 1 });
const content: ProjectContent = { projectName: 'digits', spec: lenet, data: digits, training: TrainingConfigSchema.parse({}), weights: null, gan: null };

describe('toProjectFile / contentFromProject', () => {
  it('writes what the contract accepts and reads it back unchanged', () => {
    const file = toProjectFile(content);
    expect(ProjectSchema.safeParse(file).success).toBe(true);
    expect({ head: [file.schemaVersion, file.kind, file.name], back: sameContent(contentFromProject(file), content) })
      .toEqual({ head: [1, 'strata-project', 'digits'], back: true });
  });

  it('keeps a GAN project\'s settings, and loads a file written before GAN projects as a classifier project', () => {
    const gan = GanProjectSettingsSchema.parse({ training: { epochs: 3 } });
    const file = toProjectFile({ ...content, gan });
    const { gan: _dropped, ...older } = toProjectFile(content);
    expect({ back: contentFromProject(ProjectSchema.parse(JSON.parse(JSON.stringify(file)))).gan, old: ProjectSchema.parse(older).gan, changed: sameContent(content, { ...content, gan }) })
      .toEqual({ back: gan, old: null, changed: false });
  });

  it('names a nameless project and saves a project without data', () => {
    const file = toProjectFile({ ...content, projectName: '  ', data: null });
    expect({ name: file.name, data: file.data, valid: ProjectSchema.safeParse(file).success }).toEqual({ name: 'Untitled project', data: null, valid: true });
  });
});

describe('sameContent', () => {
  it('compares values, not objects, so an undone edit or a rebuilt config is not a change', () => {
    const edited = updateConfig(lenet, 'conv2d_1', { filters: 8 });
    const undone = updateConfig(edited, 'conv2d_1', { filters: 6 });
    expect({
      same: sameContent(content, { ...content }),
      undone: sameContent(content, { ...content, spec: undone }),
      rebuiltData: sameContent(content, { ...content, data: ImageDataConfigSchema.parse({ seed: digits.seed, kind: 'image-folder', path: '/data/digits', imageSize: [28, 28], channels: 1 }) }),
      edited: sameContent(content, { ...content, spec: edited }),
      renamed: sameContent(content, { ...content, projectName: 'digits 2' }),
      epochs: sameContent(content, { ...content, training: { ...content.training, epochs: 2 } }),
      dataDropped: sameContent(content, { ...content, data: null }),
    }).toEqual({ same: true, undone: true, rebuiltData: true, edited: false, renamed: false, epochs: false, dataDropped: false });
  });

  it('keys values canonically: key order does not matter, arrays order does', () => {
    expect([valueKey({ a: 1, b: [1, 2] }) === valueKey({ b: [1, 2], a: 1 }), valueKey([1, 2]) === valueKey([2, 1]), valueKey({ a: undefined }) === valueKey({})])
      .toEqual([true, false, true]);
  });
});

describe('project file names', () => {
  it('defaults to <project name>.strata.json, safe for any file system', () => {
    expect(['digits', 'LeNet-5', 'a/b: c?', '  ', 'x.strata.json', '..', 'My project.json'].map(defaultProjectFileName))
      .toEqual(['digits.strata.json', 'LeNet-5.strata.json', 'a-b- c-.strata.json', 'project.strata.json', 'x.strata.json', 'project.strata.json', 'My project.strata.json']);
  });

  it('checks a typed name and adds .strata.json when it has no .json', () => {
    expect(['copy.strata.json', 'copy', ' mine.json ', '', 'a/b.json', 'c:d', '..'].map(checkProjectFileName)).toEqual([
      { name: 'copy.strata.json' }, { name: 'copy.strata.json' }, { name: 'mine.json' },
      { error: 'Type a file name.' },
      { error: 'A file name cannot contain / or \\ — choose the folder above.' },
      { error: 'A file name cannot contain : * ? " < > |.' },
      { error: '".." is not a file name.' },
    ]);
  });

  it('knows project files by .json', () => {
    expect(['a.strata.json', 'B.JSON', 'a.png', 'json'].map(isProjectFileName)).toEqual([true, true, false, false]);
  });
});

describe('paths', () => {
  it('splits POSIX and Windows paths, keeping roots', () => {
    expect(['/tmp/x/a.json', '/a.json', 'C:\\p\\a.json', 'C:\\a.json', 'a.json'].map(splitPath)).toEqual([
      { dir: '/tmp/x', base: 'a.json' }, { dir: '/', base: 'a.json' }, { dir: 'C:\\p', base: 'a.json' }, { dir: 'C:\\', base: 'a.json' }, { dir: '', base: 'a.json' },
    ]);
  });

  it('shortens from the middle and keeps the file name whole', () => {
    const long = '/home/someone/work/experiments/2025/mnist-variants/digits.strata.json';
    const short = shortenPath(long, 40);
    expect({ short, len: short.length <= 40, kept: shortenPath('/a/b.json'), tiny: shortenPath(long, 20) })
      .toEqual({ short: '/home/some…t-variants/digits.strata.json', len: true, kept: '/a/b.json', tiny: '…/digits.strata.json' });
  });
});

describe('runsDirOf', () => {
  it('puts a saved project\'s runs beside its file, on POSIX and Windows paths', () => {
    expect([runsDirOf('/home/ann/p/digits.strata.json'), runsDirOf('C:\\Users\\ann\\digits.strata.json'), runsDirOf(null)])
      .toEqual(['/home/ann/p/runs', 'C:\\Users\\ann\\runs', undefined]);
  });
});
