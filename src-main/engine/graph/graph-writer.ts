import type { AttrValue, GraphDtype, GraphHandle, OutputRef, StrataGraphBinding } from './graph-binding-types.ts';

type Inputs = readonly (OutputRef | readonly OutputRef[])[];

/**
 * Writes operations into one TensorFlow graph with readable, unique names: every op is
 * named `<scope>/<op type>` (numbered when repeated), so a TensorFlow error names the
 * layer it came from. Returns output refs, which is all the layer builders pass around.
 */
export class GraphWriter {
  private readonly used = new Set<string>();
  private scopes: string[] = [];

  constructor(readonly binding: StrataGraphBinding, readonly graph: GraphHandle) {}

  /** Runs `body` with every op named under `scope` (nested scopes join with '/'). */
  scoped<T>(scope: string, body: () => T): T {
    this.scopes.push(scope);
    try {
      return body();
    } finally {
      this.scopes.pop();
    }
  }

  uniqueName(base: string): string {
    const full = [...this.scopes, base].join('/');
    let name = full;
    for (let i = 1; this.used.has(name); i++) name = `${full}_${i}`;
    this.used.add(name);
    return name;
  }

  /** Adds an op and returns its first output. */
  op(type: string, inputs: Inputs, attrs: Record<string, AttrValue> = {}, options: { name?: string; control?: readonly string[] } = {}): OutputRef {
    const name = this.uniqueName(options.name ?? type);
    this.binding.addOperation(this.graph, { op: type, name, inputs, attrs, ...(options.control && { controlInputs: options.control }) });
    return [name, 0];
  }

  /** Adds an op and returns all of its outputs. */
  multi(type: string, inputs: Inputs, attrs: Record<string, AttrValue> = {}, name?: string): OutputRef[] {
    const opName = this.uniqueName(name ?? type);
    const count = this.binding.addOperation(this.graph, { op: type, name: opName, inputs, attrs });
    return Array.from({ length: count }, (_, i) => [opName, i] as const);
  }

  placeholder(name: string, dtype: GraphDtype, shape: readonly number[] | null): OutputRef {
    return this.op('Placeholder', [], { dtype: dtypeAttr(dtype), shape: { type: 'shape', value: shape } }, { name });
  }

  scalar(value: number, dtype: GraphDtype = 'float32'): OutputRef {
    const data = dtype === 'int32' ? Int32Array.of(value) : Float32Array.of(value);
    return this.op('Const', [], { dtype: dtypeAttr(dtype), value: { type: 'tensor', value: { dtype, shape: [], data } } }, { name: 'scalar' });
  }

  floats(values: readonly number[]): OutputRef {
    return this.op('Const', [], { dtype: dtypeAttr('float32'), value: { type: 'tensor', value: { dtype: 'float32', shape: [values.length], data: Float32Array.from(values) } } }, { name: 'floats' });
  }

  ints(values: readonly number[]): OutputRef {
    return this.op('Const', [], { dtype: dtypeAttr('int32'), value: { type: 'tensor', value: { dtype: 'int32', shape: [values.length], data: Int32Array.from(values) } } }, { name: 'ints' });
  }

  /** Elementwise ops that take a `T` attr (float32 unless told). */
  unary(type: string, x: OutputRef): OutputRef {
    return this.op(type, [x], { T: dtypeAttr('float32') });
  }

  binary(type: string, a: OutputRef, b: OutputRef, dtype: GraphDtype = 'float32'): OutputRef {
    return this.op(type, [a, b], { T: dtypeAttr(dtype) });
  }

  reshape(x: OutputRef, shape: readonly number[]): OutputRef {
    return this.op('Reshape', [x, this.ints(shape)], { T: dtypeAttr('float32'), Tshape: dtypeAttr('int32') });
  }

  /** Mean over `axes`, dropping them. */
  mean(x: OutputRef, axes: readonly number[], keepDims = false): OutputRef {
    return this.op('Mean', [x, this.ints(axes)], { T: dtypeAttr('float32'), Tidx: dtypeAttr('int32'), keep_dims: { type: 'bool', value: keepDims } });
  }

  sum(x: OutputRef, axes: readonly number[], dtype: GraphDtype = 'float32'): OutputRef {
    return this.op('Sum', [x, this.ints(axes)], { T: dtypeAttr(dtype), Tidx: dtypeAttr('int32'), keep_dims: { type: 'bool', value: false } });
  }

  cast(x: OutputRef, from: GraphDtype, to: GraphDtype): OutputRef {
    return this.op('Cast', [x], { SrcT: dtypeAttr(from), DstT: dtypeAttr(to) });
  }

  outputShape(ref: OutputRef): number[] | null {
    return this.binding.outputShape(this.graph, ref);
  }
}

export const dtypeAttr = (value: GraphDtype): AttrValue => ({ type: 'dtype', value });
export const intsAttr = (value: readonly number[]): AttrValue => ({ type: 'ints', value });
export const stringAttr = (value: string): AttrValue => ({ type: 'string', value });
export const floatAttr = (value: number): AttrValue => ({ type: 'float', value });
export const boolAttr = (value: boolean): AttrValue => ({ type: 'bool', value });
