import onnxProto, { type onnx } from 'onnx-proto';

/**
 * A small writer for ONNX graphs: nodes, constants (initializers) and unique tensor names,
 * serialised with onnx-proto. The converter speaks in tensor names and plain numbers; the
 * protobuf shapes stay in this file.
 */

// onnx-proto is CommonJS (module.exports = root): Node's ESM loader sees only a default export.
const { onnx: proto } = onnxProto;

/** The operator set the export targets: onnxruntime 1.30 runs every op used here at 17. */
export const ONNX_OPSET = 17;
/** IR version 8 is the newest onnx-proto 8 knows and what opset 17 was released with. */
const IR_VERSION = 8;

export type OnnxAttribute = onnx.IAttributeProto;
const A = proto.AttributeProto.AttributeType;
const T = proto.TensorProto.DataType;

/** Attribute constructors: ONNX types attributes explicitly (an int is not a float). */
export const attr = {
  int: (name: string, i: number): OnnxAttribute => ({ name, type: A.INT, i }),
  ints: (name: string, ints: readonly number[]): OnnxAttribute => ({ name, type: A.INTS, ints: [...ints] }),
  float: (name: string, f: number): OnnxAttribute => ({ name, type: A.FLOAT, f }),
  floats: (name: string, floats: readonly number[]): OnnxAttribute => ({ name, type: A.FLOATS, floats: [...floats] }),
  string: (name: string, s: string): OnnxAttribute => ({ name, type: A.STRING, s: new TextEncoder().encode(s) }),
  strings: (name: string, strings: readonly string[]): OnnxAttribute => ({ name, type: A.STRINGS, strings: strings.map((s) => new TextEncoder().encode(s)) }),
  tensor: (name: string, t: onnx.ITensorProto): OnnxAttribute => ({ name, type: A.TENSOR, t }),
};

/** Little-endian bytes of a typed array, as TensorProto.raw_data wants them. */
function rawBytes(values: Float32Array | BigInt64Array): Uint8Array {
  return new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
}

export function floatTensor(name: string, values: Float32Array, dims: readonly number[]): onnx.ITensorProto {
  return { name, dataType: T.FLOAT, dims: [...dims], rawData: rawBytes(values) };
}

function int64Tensor(name: string, values: readonly number[], dims: readonly number[]): onnx.ITensorProto {
  return { name, dataType: T.INT64, dims: [...dims], rawData: rawBytes(BigInt64Array.from(values, (v) => BigInt(v))) };
}

export const ONNX_INT64 = T.INT64;
export const ONNX_FLOAT = T.FLOAT;

export class OnnxGraph {
  private readonly nodes: onnx.INodeProto[] = [];
  private readonly initializers: onnx.ITensorProto[] = [];
  private readonly used = new Set<string>();
  private readonly constants = new Map<string, string>();
  /** What the person exporting should know about how layers were written (ExportResult.notes). */
  readonly notes: string[] = [];

  /** A fresh tensor name starting with `base` (layer names stay readable in Netron). */
  name(base: string): string {
    let candidate = base;
    for (let n = 1; this.used.has(candidate); n++) candidate = `${base}_${n}`;
    this.used.add(candidate);
    return candidate;
  }

  /** Reserves a name that must stay exactly as given (graph inputs and outputs). */
  reserve(name: string): string {
    if (this.used.has(name)) throw new Error(`ONNX tensor name ${name} is taken twice`);
    this.used.add(name);
    return name;
  }

  /** Adds a node with one output and returns that output's name. */
  op(opType: string, inputs: readonly string[], attributes: readonly OnnxAttribute[] = [], outputBase?: string): string {
    const [out] = this.opMulti(opType, inputs, 1, attributes, outputBase);
    return out!;
  }

  /** Adds a node with `outputs` outputs ('' in `skip` positions: outputs the graph does not use). */
  opMulti(opType: string, inputs: readonly string[], outputs: number, attributes: readonly OnnxAttribute[] = [], outputBase?: string, skip: readonly number[] = []): string[] {
    const base = outputBase ?? `${opType.toLowerCase()}`;
    const names = Array.from({ length: outputs }, (_, i) => (skip.includes(i) ? '' : this.name(outputs === 1 ? base : `${base}_out${i}`)));
    this.nodes.push({ opType, input: [...inputs], output: names, name: this.name(`${base}_node`), attribute: [...attributes] });
    return names;
  }

  /** Adds a node whose single output has a name chosen by the caller (reserved beforehand). */
  opInto(opType: string, inputs: readonly string[], output: string, attributes: readonly OnnxAttribute[] = []): string {
    this.nodes.push({ opType, input: [...inputs], output: [output], name: this.name(`${output}_node`), attribute: [...attributes] });
    return output;
  }

  /** A float32 initializer (weights). */
  weight(base: string, values: Float32Array, dims: readonly number[]): string {
    const name = this.name(base);
    this.initializers.push(floatTensor(name, values, dims));
    return name;
  }

  /** A shared float scalar or small constant, deduplicated by value. */
  float(values: number | readonly number[], dims?: readonly number[]): string {
    const list = typeof values === 'number' ? [values] : [...values];
    const shape = dims ?? (typeof values === 'number' ? [] : [list.length]);
    const key = `f:${shape.join('x')}:${list.join(',')}`;
    const known = this.constants.get(key);
    if (known) return known;
    const name = this.name(`const_f_${list.length === 1 ? String(list[0]).replace(/[^0-9a-z]/gi, '_') : list.length}`);
    this.initializers.push(floatTensor(name, Float32Array.from(list), shape));
    this.constants.set(key, name);
    return name;
  }

  /** A shared int64 constant (shapes, axes, pads), deduplicated by value; a number gives a scalar. */
  int64(values: number | readonly number[]): string {
    const list = typeof values === 'number' ? [values] : [...values];
    const dims = typeof values === 'number' ? [] : [list.length];
    const key = `i:${dims.join('x')}:${list.join(',')}`;
    const known = this.constants.get(key);
    if (known) return known;
    const name = this.name(`const_i_${list.join('_').replace(/-/g, 'm').slice(0, 40)}`);
    this.initializers.push(int64Tensor(name, list, dims));
    this.constants.set(key, name);
    return name;
  }

  /**
   * The serialised ModelProto: float32 inputs and output with a dynamic batch axis
   * ('batch') in front of each sample shape.
   */
  toBytes(meta: {
    graphName: string;
    inputs: ReadonlyArray<{ name: string; shape: readonly number[] }>;
    output: { name: string; shape: readonly number[] };
    docString: string;
    metadata: Record<string, string>;
  }): Uint8Array {
    const valueInfo = (name: string, shape: readonly number[]): onnx.IValueInfoProto => ({
      name,
      type: { tensorType: { elemType: T.FLOAT, shape: { dim: [{ dimParam: 'batch' }, ...shape.map((d) => ({ dimValue: d }))] } } },
    });
    const model: onnx.IModelProto = {
      irVersion: IR_VERSION,
      opsetImport: [{ domain: '', version: ONNX_OPSET }],
      producerName: 'Strata',
      docString: meta.docString,
      metadataProps: Object.entries(meta.metadata).map(([key, value]) => ({ key, value })),
      graph: {
        name: meta.graphName,
        node: this.nodes,
        initializer: this.initializers,
        input: meta.inputs.map((i) => valueInfo(i.name, i.shape)),
        output: [valueInfo(meta.output.name, meta.output.shape)],
      },
    };
    return proto.ModelProto.encode(proto.ModelProto.create(model)).finish();
  }
}
