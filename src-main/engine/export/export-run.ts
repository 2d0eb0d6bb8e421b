import path from 'node:path';
import type { ExportFormat, ExportResult } from '../../../src-shared/contract/export.ts';
import { exportGanGenerator } from '../gan/gan-export.ts';
import { isGanRun } from '../gan/gan-run-store.ts';
import { exportKeras } from './keras/keras-export.ts';
import { exportOnnx } from './onnx/onnx-export.ts';
import { exportPythonScript } from './python-script/python-export.ts';
import { exportReport } from './report/report-export.ts';
import { exportTfjsChecked } from './tfjs-export.ts';

/** What each format writes: a folder, or one file with this extension. */
export const EXPORT_TARGETS: Record<ExportFormat, { kind: 'folder' } | { kind: 'file'; extension: string }> = {
  tfjs: { kind: 'folder' },
  onnx: { kind: 'file', extension: '.onnx' },
  keras: { kind: 'file', extension: '.keras' },
  python: { kind: 'folder' },
  report: { kind: 'file', extension: '.html' },
};

/**
 * Exports a run's checkpoint in one format. A file format given a path without its
 * extension gets it added (`model` → `model.onnx`), so the consumer recognises the file.
 */
export function exportRun(runDir: string, format: ExportFormat, out: string, options: { distributed?: boolean } = {}): Promise<ExportResult> {
  const target = EXPORT_TARGETS[format];
  const where = path.resolve(target.kind === 'file' && path.extname(out).toLowerCase() !== target.extension ? `${out}${target.extension}` : out);
  // A GAN run (gan-run.json, no run.json) exports its generator.
  if (isGanRun(runDir)) return exportGanGenerator(runDir, format, where);
  switch (format) {
    case 'tfjs': return exportTfjsChecked(runDir, where);
    case 'onnx': return exportOnnx(runDir, where);
    case 'keras': return exportKeras(runDir, where);
    case 'python': return exportPythonScript(runDir, where, { distributed: options.distributed ?? false });
    case 'report': return exportReport(runDir, where);
  }
}
