import { ONNX_LAYER_SUPPORT } from './onnx-layer-support.ts';

/** Where the table of ONNX layer support is published for users (linked from the README). */
export const ONNX_SUPPORT_DOC = 'docs/onnx-layers.md';

/**
 * The user-facing table of what the ONNX export writes for each layer kind, made from
 * ONNX_LAYER_SUPPORT itself so the document cannot drift from the converter (a test
 * compares the committed file with this text).
 */
export function onnxSupportMarkdown(): string {
  const rows = Object.entries(ONNX_LAYER_SUPPORT).map(([kind, s]) => `| ${kind} | ${s.supported ? 'yes' : 'no'} | ${(s.supported ? s.onnx : s.why).replace(/\|/g, '\\|')} |`);
  return [
    '# Layers in the ONNX export',
    '',
    '`strata export <runDir> --format onnx` writes opset 17 with tensors in tfjs\' channels-last',
    'layout; onnxruntime then predicts the run\'s validation inputs and is compared with Strata.',
    'A model with a layer it cannot write is refused before anything is written, naming each',
    'such layer and why. Besides the kinds below, a `mask_zero` padding mask is refused where',
    'it would reach a layer that cannot carry it (the error names the layer).',
    '',
    '_Generated from `src-main/engine/export/onnx/onnx-layer-support.ts`; `onnx-support-doc.test.ts` keeps them equal._',
    '',
    '| Layer | Exports | As |',
    '|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
