/**
 * Walks the batches stored in a segment file between two byte positions,
 * reading in chunks so memory stays bounded whatever the segment size.
 * `scanBatchHeaders` reads only what it needs to hop from header to header;
 * `scanBatches` yields whole batches (for recovery, compaction and replay).
 * Framing problems throw CorruptRecordError with the file position.
 */
import {
  CorruptRecordError,
  CURRENT_MAGIC,
  LOG_OVERHEAD,
  MIN_BATCH_LENGTH,
  RECORD_BATCH_HEADER_SIZE,
  RecordBatch,
} from '../records/index.ts';
import { readAt } from './file-io.ts';

const HEADER_CHUNK_BYTES = 64 * 1024;
const BATCH_CHUNK_BYTES = 1024 * 1024;

export interface StoredBatch {
  /** Byte position of the batch in the segment file. */
  position: number;
  /** Total size, header included. */
  size: number;
  /**
   * For scanBatchHeaders, a view over the 61 header bytes only (header getters
   * work; recordsBytes and CRC checks do not); for scanBatches, the whole batch.
   */
  batch: RecordBatch;
}

/** Size of the batch whose header starts at `at` in `bytes`, or a CorruptRecordError. */
function framedSize(bytes: Buffer, at: number, position: number, end: number): number {
  if (bytes.length - at < RECORD_BATCH_HEADER_SIZE) {
    throw new CorruptRecordError(
      'truncated',
      `Segment ends inside a batch header: ${end - position} bytes left`,
      position,
    );
  }
  const magic = bytes.readInt8(at + 16);
  if (magic !== CURRENT_MAGIC) {
    throw new CorruptRecordError('unsupported-magic', `Stored batch has magic ${magic}, expected 2`, position);
  }
  const batchLength = bytes.readInt32BE(at + 8);
  if (batchLength < MIN_BATCH_LENGTH) {
    throw new CorruptRecordError('invalid-length', `Stored batch declares length ${batchLength}`, position);
  }
  const size = LOG_OVERHEAD + batchLength;
  if (position + size > end) {
    throw new CorruptRecordError(
      'truncated',
      `Stored batch declares ${size} bytes but the segment ends after ${end - position}`,
      position,
    );
  }
  return size;
}

export async function* scanBatchHeaders(fd: number, start: number, end: number): AsyncGenerator<StoredBatch> {
  let chunk: Buffer = Buffer.alloc(0);
  let chunkStart = start;
  let position = start;
  while (position < end) {
    let at = position - chunkStart;
    if (at + RECORD_BATCH_HEADER_SIZE > chunk.length) {
      chunk = await readAt(fd, Math.min(HEADER_CHUNK_BYTES, end - position), position);
      chunkStart = position;
      at = 0;
    }
    const size = framedSize(chunk, at, position, end);
    yield { position, size, batch: new RecordBatch(chunk.subarray(at, at + RECORD_BATCH_HEADER_SIZE)) };
    position += size;
  }
}

export async function* scanBatches(fd: number, start: number, end: number): AsyncGenerator<StoredBatch> {
  let chunk: Buffer = Buffer.alloc(0);
  let chunkStart = start;
  let position = start;
  while (position < end) {
    let at = position - chunkStart;
    if (at + RECORD_BATCH_HEADER_SIZE > chunk.length) {
      chunk = await readAt(fd, Math.min(BATCH_CHUNK_BYTES, end - position), position);
      chunkStart = position;
      at = 0;
    }
    const size = framedSize(chunk, at, position, end);
    if (at + size > chunk.length) {
      chunk = await readAt(fd, Math.min(Math.max(BATCH_CHUNK_BYTES, size), end - position), position);
      chunkStart = position;
      at = 0;
    }
    yield { position, size, batch: new RecordBatch(chunk.subarray(at, at + size)) };
    position += size;
  }
}
