/**
 * Names of the files in a partition directory. Offset-named files use 20
 * zero-padded digits, like Kafka, so they sort by name.
 */
import path from 'node:path';

export const LOG_SUFFIX = '.log';
export const OFFSET_INDEX_SUFFIX = '.index';
export const TIME_INDEX_SUFFIX = '.timeindex';
export const TXN_INDEX_SUFFIX = '.txnindex';
export const SNAPSHOT_SUFFIX = '.snapshot';
/** Appended to a segment file being written by the log cleaner. */
export const CLEANED_SUFFIX = '.cleaned';
/** `<base>.swap`: the cleaner's commit marker (see log-cleaner.ts). */
export const SWAP_SUFFIX = '.swap';

export const SEGMENT_SUFFIXES = [LOG_SUFFIX, OFFSET_INDEX_SUFFIX, TIME_INDEX_SUFFIX, TXN_INDEX_SUFFIX] as const;

/** Written on a clean close, removed on open: its absence means "recover". */
export const CLEAN_SHUTDOWN_FILE = 'clean-shutdown';
/** logStartOffset, recovery point and cleaner checkpoint. */
export const CHECKPOINT_FILE = 'log-checkpoint.json';

export function offsetFileName(offset: number, suffix: string): string {
  return `${String(offset).padStart(20, '0')}${suffix}`;
}

/** The offset a file name starts with, when it is `<20 digits><suffix>`; otherwise null. */
export function parseOffsetFileName(name: string, suffix: string): number | null {
  if (!name.endsWith(suffix)) return null;
  const digits = name.slice(0, -suffix.length);
  if (!/^\d{20}$/.test(digits)) return null;
  return Number(digits);
}

export interface SegmentPaths {
  log: string;
  offsetIndex: string;
  timeIndex: string;
  txnIndex: string;
}

/** Paths of one segment's files; `extra` is appended to each (".cleaned" while the cleaner writes). */
export function segmentPaths(dir: string, baseOffset: number, extra = ''): SegmentPaths {
  const file = (suffix: string) => path.join(dir, offsetFileName(baseOffset, suffix) + extra);
  return {
    log: file(LOG_SUFFIX),
    offsetIndex: file(OFFSET_INDEX_SUFFIX),
    timeIndex: file(TIME_INDEX_SUFFIX),
    txnIndex: file(TXN_INDEX_SUFFIX),
  };
}
