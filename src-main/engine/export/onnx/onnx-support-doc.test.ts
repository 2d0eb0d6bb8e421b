import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_ROOT } from '../../../app-root.ts';
import { ONNX_SUPPORT_DOC, onnxSupportMarkdown } from './onnx-support-doc.ts';

describe('the published ONNX layer table', () => {
  it(`${ONNX_SUPPORT_DOC} is the converter's own table (regenerate with STRATA_WRITE_DOCS=1 npx vitest run onnx-support-doc)`, () => {
    const file = path.join(APP_ROOT, ONNX_SUPPORT_DOC);
    if (process.env.STRATA_WRITE_DOCS === '1') fs.writeFileSync(file, onnxSupportMarkdown());
    expect(fs.readFileSync(file, 'utf8')).toBe(onnxSupportMarkdown());
  });
});
