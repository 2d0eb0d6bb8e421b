import fs from 'node:fs';
import path from 'node:path';
import { GanEventSchema, GanRunRecordSchema, type GanEvent, type GanRunRecord } from '../../../src-shared/contract/gan.ts';
import { writeFileAtomic } from '../../projects/atomic-write.ts';
import { StrataError } from '../../strata-error.ts';
import { RUN_FILES } from '../train/run-store.ts';

/**
 * A GAN run folder: the run store's layout (events.jsonl, checkpoint/) with its own record,
 * gan-run.json — run.json's schema is one network with classes and cannot hold two — and
 * one sample grid per epoch in samples/.
 */
export const GAN_RUN_FILES = {
  record: 'gan-run.json',
  events: RUN_FILES.events,
  generator: path.join(RUN_FILES.checkpoint, 'generator'),
  discriminator: path.join(RUN_FILES.checkpoint, 'discriminator'),
  samples: 'samples',
} as const;

export function isGanRun(runDir: string): boolean {
  return fs.existsSync(path.join(runDir, GAN_RUN_FILES.record));
}

export function writeGanRunRecord(runDir: string, record: GanRunRecord): void {
  writeFileAtomic(path.join(runDir, GAN_RUN_FILES.record), `${JSON.stringify(GanRunRecordSchema.parse(record), null, 2)}\n`);
}

/** Reads and validates gan-run.json; a folder that is not a GAN run gets an error naming it. */
export function readGanRunRecord(runDir: string): GanRunRecord {
  const file = path.join(runDir, GAN_RUN_FILES.record);
  if (!fs.existsSync(file)) {
    throw new StrataError('NOT_A_GAN_RUN', `${runDir} is not a Strata GAN run folder (no ${GAN_RUN_FILES.record}). Pass the folder that \`strata gan-train\` printed.`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new StrataError('BAD_RUN_RECORD', `${file} is not valid JSON (${err instanceof Error ? err.message : err}).`);
  }
  const parsed = GanRunRecordSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new StrataError('BAD_RUN_RECORD', `${file} is not a valid GAN run record: ${first?.path.join('.')}: ${first?.message}.`);
  }
  return parsed.data;
}

export function appendGanEvent(runDir: string, event: GanEvent): void {
  // The sample grid's PNG is already a file in samples/; the log keeps its name, not its bytes.
  const logged = event.type === 'samples' ? { ...event, png: '' } : event;
  fs.appendFileSync(path.join(runDir, GAN_RUN_FILES.events), `${JSON.stringify(logged)}\n`);
}

/** The run's logged events, each validated; a torn last line (a crash mid-write) is skipped. */
export function readGanEvents(runDir: string): GanEvent[] {
  const file = path.join(runDir, GAN_RUN_FILES.events);
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).flatMap((line) => {
    try {
      const parsed = GanEventSchema.safeParse(JSON.parse(line));
      return parsed.success ? [parsed.data] : [];
    } catch {
      return [];
    }
  });
}
