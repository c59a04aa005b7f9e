/**
 * `<offset>.snapshot`: the producer state table as it was once every batch
 * below `offset` was applied. Written at each segment roll and on close;
 * opening the log loads the newest usable one and replays only the batches
 * after it. A snapshot is an optimisation: an unreadable one is skipped.
 *
 * Snapshot (JSON) => { version: 1, offset, producers: [ProducerState] }
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ProducerState, ProducerStateTable } from './producer-state.ts';
import { offsetFileName, parseOffsetFileName, SNAPSHOT_SUFFIX } from './segment-files.ts';

const SNAPSHOT_VERSION = 1;
/** Older snapshots are deleted; two survive a snapshot lost to a crash. */
const SNAPSHOTS_KEPT = 2;

export function listSnapshotOffsets(dir: string): number[] {
  const offsets: number[] = [];
  for (const name of fs.readdirSync(dir)) {
    const offset = parseOffsetFileName(name, SNAPSHOT_SUFFIX);
    if (offset !== null) offsets.push(offset);
  }
  return offsets.sort((a, b) => a - b);
}

/**
 * Writes a snapshot at `offset` (synchronously: it happens at a roll, inside
 * an append, and is small) and prunes old ones.
 */
export function writeProducerSnapshot(dir: string, offset: number, table: ProducerStateTable): void {
  const file = path.join(dir, offsetFileName(offset, SNAPSHOT_SUFFIX));
  const temporary = `${file}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify({ version: SNAPSHOT_VERSION, offset, producers: table.toJSON() }));
  fs.renameSync(temporary, file);
  const offsets = listSnapshotOffsets(dir);
  for (const old of offsets.slice(0, Math.max(0, offsets.length - SNAPSHOTS_KEPT))) {
    fs.rmSync(path.join(dir, offsetFileName(old, SNAPSHOT_SUFFIX)), { force: true });
  }
}

/** Deletes snapshots past `offset`: after a truncation they describe batches that are gone. */
export function deleteSnapshotsAfter(dir: string, offset: number): void {
  for (const snapshotOffset of listSnapshotOffsets(dir)) {
    if (snapshotOffset > offset) fs.rmSync(path.join(dir, offsetFileName(snapshotOffset, SNAPSHOT_SUFFIX)));
  }
}

/**
 * Loads the newest readable snapshot at or below `maxOffset` into `table`;
 * returns its offset, or null when there is none (replay from the start).
 */
export function loadProducerSnapshot(dir: string, maxOffset: number, table: ProducerStateTable): number | null {
  const candidates = listSnapshotOffsets(dir)
    .filter((offset) => offset <= maxOffset)
    .reverse();
  for (const offset of candidates) {
    try {
      const parsed = JSON.parse(fs.readFileSync(path.join(dir, offsetFileName(offset, SNAPSHOT_SUFFIX)), 'utf8')) as {
        version?: number;
        offset?: number;
        producers?: ProducerState[];
      };
      if (parsed.version !== SNAPSHOT_VERSION || parsed.offset !== offset || !Array.isArray(parsed.producers)) continue;
      table.load(parsed.producers);
      return offset;
    } catch {
      // Torn by a crash: fall back to an older snapshot or a full replay.
    }
  }
  table.clear();
  return null;
}
