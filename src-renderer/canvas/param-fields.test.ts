import { describe, expect, it } from 'vitest';
import { getLayerKind } from '../../src-shared/layers/layer-catalog.ts';
import { describeParams, formatFieldValue, parseFieldText, validateParam, type ParamField } from './param-fields.ts';

const kind = (className: string) => getLayerKind(className)!;

describe('describeParams', () => {
  it('reads numbers, pairs, enums and booleans from the Conv2D schema', () => {
    expect(describeParams(kind('Conv2D').params).map((f) => [f.key, f.kind])).toEqual([
      ['filters', 'number'], ['kernel_size', 'pair'], ['strides', 'pair'], ['padding', 'enum'], ['activation', 'enum'], ['use_bias', 'boolean'],
    ]);
  });

  it('keeps real bounds, drops zod\'s implicit integer ones, and sees nullable pairs and lists', () => {
    expect({
      dropout: describeParams(kind('Dropout').params),
      pooling: describeParams(kind('MaxPooling2D').params).find((f) => f.key === 'strides'),
      input: describeParams(kind('Input').params),
      dense: describeParams(kind('Dense').params)[0],
    }).toEqual({
      dropout: [{ key: 'rate', kind: 'number', integer: false, min: 0, max: 1, nullable: false }],
      pooling: { key: 'strides', kind: 'pair', integer: true, nullable: true },
      input: [{ key: 'shape', kind: 'list', nullable: false }],
      dense: { key: 'units', kind: 'number', integer: true, min: 1, max: null, nullable: false },
    });
  });

  it('gives kinds without parameters no fields', () => {
    expect(['Flatten', 'Add', 'GlobalAveragePooling2D'].map((c) => describeParams(kind(c).params))).toEqual([[], [], []]);
  });
});

describe('parseFieldText / formatFieldValue', () => {
  const list: ParamField = { key: 'shape', kind: 'list', nullable: false };
  const num: ParamField = { key: 'units', kind: 'number', integer: true, min: 1, max: null, nullable: false };
  it('reads lists in the forms people type them', () => {
    expect(['28, 28, 1', '(28,28,1)', '[28 28 1]', '28×28×1'].map((t) => parseFieldText(list, t))).toEqual(
      Array(4).fill({ ok: true, value: [28, 28, 1] }),
    );
  });
  it('says what is wrong with text that is not a value', () => {
    expect([parseFieldText(num, ''), parseFieldText(num, 'ten'), parseFieldText(list, '28, x')]).toEqual([
      { ok: false, message: 'units needs a value' },
      { ok: false, message: 'units must be a number, not "ten"' },
      { ok: false, message: 'shape must be numbers separated by commas, e.g. 28, 28, 1' },
    ]);
  });
  it('shows lists as comma-separated text', () => {
    expect([formatFieldValue([5, 5]), formatFieldValue(0.25), formatFieldValue(null)]).toEqual(['5, 5', '0.25', '']);
  });
});

describe('validateParam', () => {
  it('returns the schema\'s own message for the edited field, or null', () => {
    const dense = kind('Dense');
    const config = dense.params.parse({});
    expect([
      validateParam(dense.params, config, 'units', 0),
      validateParam(dense.params, config, 'units', 2.5),
      validateParam(dense.params, config, 'units', 10),
    ]).toEqual(['units must be at least 1', 'units must be a whole number', null]);
  });
});

describe('fields with structured values', () => {
  it('reads and shows nested lists and objects as JSON (ZeroPadding2D, Bidirectional)', () => {
    const field: ParamField = { key: 'padding', kind: 'text', nullable: false };
    expect(parseFieldText(field, '[[1, 2], [3, 4]]')).toEqual({ ok: true, value: [[1, 2], [3, 4]] });
    expect(parseFieldText(field, '2')).toEqual({ ok: true, value: 2 });
    expect(parseFieldText(field, '{"class_name": "GRU"}')).toEqual({ ok: true, value: { class_name: 'GRU' } });
    expect(parseFieldText(field, '[[1, 2]')).toMatchObject({ ok: false, message: expect.stringContaining('not valid JSON') });
    expect(formatFieldValue([[1, 1], [2, 2]])).toBe('[[1,1],[2,2]]');
    expect(formatFieldValue({ class_name: 'LSTM', config: { units: 8 } })).toBe('{"class_name":"LSTM","config":{"units":8}}');
    expect(formatFieldValue([28, 28, 1])).toBe('28, 28, 1');
  });
});
