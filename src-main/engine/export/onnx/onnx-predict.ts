import type * as Ort from 'onnxruntime-node';

/**
 * onnxruntime-node, the runtime an ONNX export is proven on. Loaded on first use: it is a
 * native library the engine needs only when someone exports to ONNX.
 */
let runtime: Promise<typeof Ort> | null = null;
export function loadOnnxRuntime(): Promise<typeof Ort> {
  runtime ??= import('onnxruntime-node');
  return runtime;
}

/** "onnxruntime-node 1.30.0", for the parity record. */
export async function onnxRuntimeName(): Promise<string> {
  const ort = await loadOnnxRuntime();
  return `onnxruntime-node ${ort.env.versions.node ?? ort.env.versions.common}`;
}

/** An ONNX model loaded in onnxruntime (CPU), fed one float32 input, as a consumer would. */
export interface OnnxPredictor {
  predict(x: Float32Array, shape: readonly number[]): Promise<Float32Array>;
  release(): Promise<void>;
}

/** Opens a model from its file or bytes; the session's only input and output are used. */
export async function openOnnxModel(model: string | Uint8Array): Promise<OnnxPredictor> {
  const ort = await loadOnnxRuntime();
  // Warnings only: onnxruntime logs every removed Identity and folded Transpose at INFO.
  const options: Ort.InferenceSession.SessionOptions = { logSeverityLevel: 3 };
  const session = typeof model === 'string' ? await ort.InferenceSession.create(model, options) : await ort.InferenceSession.create(model, options);
  const [inputName] = session.inputNames;
  const [outputName] = session.outputNames;
  if (!inputName || !outputName) throw new Error('the ONNX model has no input or no output');
  return {
    async predict(x, shape) {
      const feeds = { [inputName]: new ort.Tensor('float32', x, [...shape]) };
      const out = (await session.run(feeds))[outputName];
      if (!out || out.type !== 'float32') throw new Error(`the ONNX model's output ${outputName} is not float32`);
      return out.data as Float32Array;
    },
    release: () => session.release(),
  };
}
