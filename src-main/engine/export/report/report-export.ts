import path from 'node:path';
import type { ExportResult } from '../../../../src-shared/contract/export.ts';
import { writeFileAtomic } from '../../../projects/atomic-write.ts';
import { recordExport } from '../export-record.ts';
import { collectReportFacts } from './report-facts.ts';
import { renderReport } from './report-page.ts';

/**
 * The model card: one self-contained HTML file (inline CSS, SVG charts, PNG data: URLs, no
 * script) describing a run — settings, data and its health, the graph, the curves, the
 * evaluation, explanations and the parity of its exports. It opens offline, mails as one
 * attachment and prints. There is no model in it, so there is no parity to check.
 */
export async function exportReport(runDir: string, outFile: string): Promise<ExportResult> {
  const facts = await collectReportFacts(runDir);
  const file = path.resolve(outFile);
  writeFileAtomic(file, renderReport(facts));
  const notes: string[] = [];
  if (facts.health.kind === 'unavailable') notes.push(facts.health.message);
  if (facts.evaluation.kind === 'unavailable') notes.push(facts.evaluation.message);
  else if (facts.evaluation.note) notes.push(facts.evaluation.note);
  if (facts.explanations.kind === 'unavailable') notes.push(facts.explanations.message);
  const result: ExportResult = { format: 'report', path: file, files: [path.basename(file)], parity: null, notes };
  recordExport(facts.runDir, result);
  return result;
}
