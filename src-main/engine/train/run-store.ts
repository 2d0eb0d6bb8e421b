import fs from 'node:fs';
import path from 'node:path';
import { RunRecordSchema, type RunRecord } from '../../../src-shared/contract/run-record.ts';
import type { TrainEvent } from '../../../src-shared/contract/streams.ts';
import { writeFileAtomic } from '../../projects/atomic-write.ts';
import { StrataError } from '../../strata-error.ts';

/** The files of one run folder. */
export const RUN_FILES = { record: 'run.json', events: 'events.jsonl', checkpoint: 'checkpoint' } as const;

export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..+/, '').replace('T', '-');
  return `run-${stamp}-${Math.random().toString(36).slice(2, 6)}`;
}

export function writeRunRecord(runDir: string, record: RunRecord): void {
  writeFileAtomic(path.join(runDir, RUN_FILES.record), `${JSON.stringify(RunRecordSchema.parse(record), null, 2)}\n`);
}

/** Reads and validates run.json; a folder that is not a run gets an error naming it. */
export function readRunRecord(runDir: string): RunRecord {
  const file = path.join(runDir, RUN_FILES.record);
  if (!fs.existsSync(file)) {
    throw new StrataError('NOT_A_RUN', `${runDir} is not a Strata run folder (no ${RUN_FILES.record}). Pass the folder that \`strata train\` printed.`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new StrataError('BAD_RUN_RECORD', `${file} is not valid JSON (${err instanceof Error ? err.message : err}).`);
  }
  const parsed = RunRecordSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new StrataError('BAD_RUN_RECORD', `${file} is not a valid run record: ${first?.path.join('.')}: ${first?.message}.`);
  }
  return parsed.data;
}

/** Appends one event to the run's metric log, so a closed window or a crash loses nothing. */
export function appendRunEvent(runDir: string, event: TrainEvent): void {
  fs.appendFileSync(path.join(runDir, RUN_FILES.events), `${JSON.stringify(event)}\n`);
}

export function readRunEvents(runDir: string): TrainEvent[] {
  const file = path.join(runDir, RUN_FILES.events);
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).flatMap((line) => {
    try { return [JSON.parse(line) as TrainEvent]; } catch { return []; } // a torn last line after a crash
  });
}

export function checkpointDir(runDir: string): string {
  return path.join(runDir, RUN_FILES.checkpoint);
}
