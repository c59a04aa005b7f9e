/**
 * `log-checkpoint.json`: the three offsets of a partition log that cannot be
 * derived from its segments.
 *
 * LogCheckpoint (JSON) =>
 *   logStartOffset  first offset a consumer may read (advanced by DeleteRecords)
 *   recoveryPoint   every segment below this offset was fsynced: recovery skips it
 *   cleanerOffset   compaction has cleaned everything below this offset
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from './file-io.ts';
import { CHECKPOINT_FILE } from './segment-files.ts';

export interface LogCheckpoint {
  logStartOffset: number;
  recoveryPoint: number;
  cleanerOffset: number;
}

export function readLogCheckpoint(dir: string): LogCheckpoint | null {
  try {
    const parsed = JSON.parse(fs.readFileSync(path.join(dir, CHECKPOINT_FILE), 'utf8')) as Partial<LogCheckpoint>;
    if (
      typeof parsed.logStartOffset === 'number' &&
      typeof parsed.recoveryPoint === 'number' &&
      typeof parsed.cleanerOffset === 'number'
    ) {
      return {
        logStartOffset: parsed.logStartOffset,
        recoveryPoint: parsed.recoveryPoint,
        cleanerOffset: parsed.cleanerOffset,
      };
    }
  } catch {
    // Missing on a new log; written atomically, so otherwise intact.
  }
  return null;
}

export function writeLogCheckpoint(dir: string, checkpoint: LogCheckpoint): Promise<void> {
  return writeFileAtomic(path.join(dir, CHECKPOINT_FILE), JSON.stringify(checkpoint));
}
