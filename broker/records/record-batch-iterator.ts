/**
 * Walks the batches of a records blob: the `records` field of a Produce
 * request (one or more v2 batches back to back), or bytes read from a log
 * segment. Each step reads only baseOffset, batchLength and magic; CRC
 * checking is a separate, explicit step.
 */
import { CorruptRecordError } from './errors.ts';
import {
  BATCH_LENGTH_OFFSET,
  CURRENT_MAGIC,
  LOG_OVERHEAD,
  MAGIC_OFFSET,
  RECORD_BATCH_HEADER_SIZE,
  RecordBatch,
} from './record-batch.ts';

/** Smallest legal batchLength: the v2 header with no records. */
export const MIN_BATCH_LENGTH = RECORD_BATCH_HEADER_SIZE - LOG_OVERHEAD;

export interface BatchBoundsOptions {
  /** Largest accepted batch, header included (Kafka's max.message.bytes). Default: no limit beyond the blob. */
  maxBatchSize?: number;
}

/**
 * Checks the framing of the batch starting at `position` and returns its
 * total size. Throws CorruptRecordError for a cut, oversized or legacy batch.
 */
export function checkBatchFraming(blob: Buffer, position: number, options: BatchBoundsOptions = {}): number {
  const remaining = blob.length - position;
  if (remaining < LOG_OVERHEAD) {
    throw new CorruptRecordError(
      'truncated',
      `Record batch cut short: ${remaining} bytes left, the offset and length fields need ${LOG_OVERHEAD}`,
      position,
    );
  }
  const batchLength = blob.readInt32BE(position + BATCH_LENGTH_OFFSET);
  const magic = remaining > MAGIC_OFFSET ? blob.readInt8(position + MAGIC_OFFSET) : undefined;
  if (magic !== undefined && magic !== CURRENT_MAGIC) {
    throw new CorruptRecordError(
      'unsupported-magic',
      magic === 0 || magic === 1
        ? `Legacy message set (magic ${magic}) is not supported: only v2 record batches are; use a Kafka 0.11+ client (Produce v3 or later)`
        : `Unknown record batch magic ${magic}: only magic 2 is supported`,
      position,
    );
  }
  if (batchLength < MIN_BATCH_LENGTH) {
    throw new CorruptRecordError(
      'invalid-length',
      `Record batch length ${batchLength} is below the v2 header size ${MIN_BATCH_LENGTH}`,
      position,
    );
  }
  const size = LOG_OVERHEAD + batchLength;
  if (options.maxBatchSize !== undefined && size > options.maxBatchSize) {
    throw new CorruptRecordError(
      'too-large',
      `Record batch of ${size} bytes exceeds the limit of ${options.maxBatchSize} bytes (max.message.bytes)`,
      position,
    );
  }
  if (size > remaining) {
    throw new CorruptRecordError(
      'truncated',
      `Record batch declares ${size} bytes but only ${remaining} remain`,
      position,
    );
  }
  return size;
}

export interface PositionedBatch {
  batch: RecordBatch;
  /** Byte position of the batch inside the blob. */
  position: number;
}

/** Yields the batches of `blob` in order, checking framing only. */
export function* iterateRecordBatches(
  blob: Buffer,
  options: BatchBoundsOptions = {},
): Generator<PositionedBatch, void, undefined> {
  let position = 0;
  while (position < blob.length) {
    const size = checkBatchFraming(blob, position, options);
    yield { batch: new RecordBatch(blob.subarray(position, position + size)), position };
    position += size;
  }
}

/**
 * Splits a records blob into validated batches: framing, magic and CRC.
 * Throws CorruptRecordError on the first bad batch; an empty blob gives [].
 */
export function readRecordBatches(blob: Buffer, options: BatchBoundsOptions = {}): RecordBatch[] {
  const batches: RecordBatch[] = [];
  for (const { batch, position } of iterateRecordBatches(blob, options)) {
    batch.verifyCrc(position);
    batches.push(batch);
  }
  return batches;
}
