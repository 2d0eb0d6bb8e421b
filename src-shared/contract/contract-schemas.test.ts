import { describe, expect, it } from 'vitest';
import { TEMPLATES } from '../spec/templates.ts';
import { ModelSpecSchema } from '../spec/model-spec.ts';
import { commands } from './commands.ts';
import { ProjectSchema } from './project.ts';
import { streams, TrainEventSchema } from './streams.ts';
import { ClientMessageSchema, ServerMessageSchema } from './wire.ts';

const lenet = () => TEMPLATES.find((t) => t.id === 'lenet')!.build({});

describe('the model spec schema', () => {
  it('accepts every template and keeps its Keras shape', () => {
    for (const t of TEMPLATES) expect(ModelSpecSchema.parse(t.build({}))).toMatchObject({ schemaVersion: 1, class_name: 'Model' });
  });

  it('refuses two layers with one name, naming it', () => {
    const spec = lenet();
    spec.config.layers[2]!.name = spec.config.layers[1]!.name;
    const r = ModelSpecSchema.safeParse(spec);
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.message).toContain(`two layers are named "${spec.config.layers[1]!.name}"`);
  });

  it('refuses a bad layer name and an unknown schema version', () => {
    const spec = lenet();
    expect(ModelSpecSchema.safeParse({ ...spec, schemaVersion: 2 }).success).toBe(false);
    spec.config.layers[0]!.name = '1 bad name';
    expect(ModelSpecSchema.safeParse(spec).success).toBe(false);
  });
});

describe('the project schema', () => {
  it('fills training defaults and a null dataset', () => {
    const project = ProjectSchema.parse({ schemaVersion: 1, kind: 'strata-project', name: 'p', model: lenet() });
    expect({ data: project.data, training: project.training }).toEqual({
      data: null, training: { epochs: 5, batchSize: 32, learningRate: 0.001, optimizer: 'adam', schedule: { kind: 'constant' }, classWeights: 'none', earlyStopping: null,
        liveSaliency: { enabled: true, probes: [], budget: 0.05 } },
    });
  });

  it('reads a project written before data kinds existed as an image folder', () => {
    const old = ProjectSchema.parse({
      schemaVersion: 1, kind: 'strata-project', name: 'p', model: lenet(),
      data: { path: 'digits', imageSize: [28, 28], channels: 1, validationSplit: 0.2, seed: 42 },
    });
    expect(old.data).toMatchObject({ kind: 'image-folder', path: 'digits', labels: null, testSplit: 0, augmentation: null, storage: 'auto' });
  });
});

describe('the contract', () => {
  it('names every command and stream with both schemas', () => {
    for (const c of Object.values(commands)) expect(Object.keys(c).sort()).toEqual(['args', 'result']);
    for (const s of Object.values(streams)) expect(Object.keys(s).sort()).toEqual(['args', 'event']);
  });

  it('parses each train event kind and rejects an unknown status', () => {
    const end = { type: 'end', status: 'completed', runDir: '/r' };
    expect(TrainEventSchema.parse(end)).toEqual(end);
    expect(TrainEventSchema.safeParse({ ...end, status: 'exploded' }).success).toBe(false);
    expect(TrainEventSchema.parse({ type: 'batch', epoch: 1, batch: 3, loss: 0.5, acc: null, progress: 0.1, etaSeconds: null }).type).toBe('batch');
  });

  it('carries both result shapes and rejects messages that are not the contract', () => {
    expect(ServerMessageSchema.parse({ t: 'result', id: 1, ok: true, value: 3 })).toEqual({ t: 'result', id: 1, ok: true, value: 3 });
    expect(ServerMessageSchema.parse({ t: 'result', id: 1, ok: false, error: { code: 'X', message: 'm' } })).toMatchObject({ ok: false });
    expect(ClientMessageSchema.safeParse({ t: 'exec', cmd: 'rm' }).success).toBe(false);
    expect(ClientMessageSchema.safeParse({ t: 'invoke', id: 'x', cmd: 'a', args: {} }).success).toBe(false);
  });
});
