import fs from 'node:fs';
import path from 'node:path';
import { ExportResultSchema, type ExportFormat, type ExportResult } from '../../../src-shared/contract/export.ts';
import { writeFileAtomic } from '../../projects/atomic-write.ts';

/** Where a run remembers its last export of each format (the model card reads them). */
export function exportRecordFile(runDir: string, format: ExportFormat): string {
  return path.join(runDir, 'exports', `${format}.json`);
}

export function recordExport(runDir: string, result: ExportResult): void {
  fs.mkdirSync(path.join(runDir, 'exports'), { recursive: true });
  writeFileAtomic(exportRecordFile(runDir, result.format), `${JSON.stringify({ ...result, at: new Date().toISOString() }, null, 2)}\n`);
}

/** Every export the run has recorded, with when; unreadable records are left out. */
export function readExportRecords(runDir: string): Array<ExportResult & { at: string | null }> {
  const dir = path.join(runDir, 'exports');
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => f.endsWith('.json')).flatMap((f) => {
    try {
      const raw = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as { at?: unknown };
      const parsed = ExportResultSchema.safeParse(raw);
      return parsed.success ? [{ ...parsed.data, at: typeof raw.at === 'string' ? raw.at : null }] : [];
    } catch {
      return [];
    }
  });
}
