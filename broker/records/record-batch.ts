/**
 * A view over one v2 record batch (magic 2) held in a Buffer: reads and
 * rewrites header fields in place, never copies the batch.
 *
 * RecordBatch =>                       byte offset
 *   baseOffset            int64         0
 *   batchLength           int32         8   bytes after this field
 *   partitionLeaderEpoch  int32        12
 *   magic                 int8         16   = 2
 *   crc                   uint32       17   CRC-32C of attributes..end
 *   attributes            int16        21
 *   lastOffsetDelta       int32        23
 *   baseTimestamp         int64        27
 *   maxTimestamp          int64        35
 *   producerId            int64        43
 *   producerEpoch         int16        51
 *   baseSequence          int32        53
 *   recordCount           int32        57
 *   records               [Record]     61   compressed as a whole when codec != 0
 *
 * attributes: bits 0-2 codec (0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd),
 * bit 3 timestamp type (1 = log append time), bit 4 transactional,
 * bit 5 control batch.
 *
 * The CRC leaves out baseOffset and partitionLeaderEpoch, so the broker can
 * assign offsets and stamp the leader epoch without recomputing it; only a
 * change from attributes on (log append time) needs a new CRC.
 */
import { crc32c } from '@node-rs/crc32';
import { CorruptRecordError } from './errors.ts';

export const BASE_OFFSET_OFFSET = 0;
export const BATCH_LENGTH_OFFSET = 8;
export const PARTITION_LEADER_EPOCH_OFFSET = 12;
export const MAGIC_OFFSET = 16;
export const CRC_OFFSET = 17;
export const ATTRIBUTES_OFFSET = 21;
export const LAST_OFFSET_DELTA_OFFSET = 23;
export const BASE_TIMESTAMP_OFFSET = 27;
export const MAX_TIMESTAMP_OFFSET = 35;
export const PRODUCER_ID_OFFSET = 43;
export const PRODUCER_EPOCH_OFFSET = 51;
export const BASE_SEQUENCE_OFFSET = 53;
export const RECORD_COUNT_OFFSET = 57;
/** Size of the v2 batch header; the records start here. */
export const RECORD_BATCH_HEADER_SIZE = 61;
/** baseOffset and batchLength: enough to find where the next batch starts. */
export const LOG_OVERHEAD = 12;

export const CURRENT_MAGIC = 2;

export const COMPRESSION_CODEC_MASK = 0x07;
export const TIMESTAMP_TYPE_MASK = 0x08;
export const TRANSACTIONAL_MASK = 0x10;
export const CONTROL_MASK = 0x20;

/** producerId, producerEpoch and baseSequence of a batch sent without idempotence. */
export const NO_PRODUCER_ID = -1;
export const NO_PRODUCER_EPOCH = -1;
export const NO_SEQUENCE = -1;
/** A timestamp field that carries no time (Kafka's RecordBatch.NO_TIMESTAMP). */
export const NO_TIMESTAMP = -1;

export type TimestampType = 'create-time' | 'log-append-time';

const TWO_32 = 0x1_0000_0000;

/** Reads a big-endian int64 as a number (exact up to 2^53, enough for offsets, ids and ms timestamps). */
export function readInt64(buffer: Buffer, position: number): number {
  return buffer.readInt32BE(position) * TWO_32 + buffer.readUInt32BE(position + 4);
}

export function writeInt64(buffer: Buffer, position: number, value: number): void {
  buffer.writeInt32BE(Math.floor(value / TWO_32), position);
  buffer.writeUInt32BE(value >>> 0, position + 4);
}

/** CRC-32C of a whole batch as stored in its crc field. */
export function computeBatchCrc(batch: Buffer): number {
  return crc32c(batch.subarray(ATTRIBUTES_OFFSET));
}

export class RecordBatch {
  /** Exactly one batch: LOG_OVERHEAD + batchLength bytes. */
  readonly buffer: Buffer;

  constructor(buffer: Buffer) {
    this.buffer = buffer;
  }

  get sizeInBytes(): number {
    return this.buffer.length;
  }
  get baseOffset(): number {
    return readInt64(this.buffer, BASE_OFFSET_OFFSET);
  }
  get batchLength(): number {
    return this.buffer.readInt32BE(BATCH_LENGTH_OFFSET);
  }
  get partitionLeaderEpoch(): number {
    return this.buffer.readInt32BE(PARTITION_LEADER_EPOCH_OFFSET);
  }
  get magic(): number {
    return this.buffer.readInt8(MAGIC_OFFSET);
  }
  get crc(): number {
    return this.buffer.readUInt32BE(CRC_OFFSET);
  }
  get attributes(): number {
    return this.buffer.readInt16BE(ATTRIBUTES_OFFSET);
  }
  get lastOffsetDelta(): number {
    return this.buffer.readInt32BE(LAST_OFFSET_DELTA_OFFSET);
  }
  get baseTimestamp(): number {
    return readInt64(this.buffer, BASE_TIMESTAMP_OFFSET);
  }
  get maxTimestamp(): number {
    return readInt64(this.buffer, MAX_TIMESTAMP_OFFSET);
  }
  get producerId(): number {
    return readInt64(this.buffer, PRODUCER_ID_OFFSET);
  }
  get producerEpoch(): number {
    return this.buffer.readInt16BE(PRODUCER_EPOCH_OFFSET);
  }
  get baseSequence(): number {
    return this.buffer.readInt32BE(BASE_SEQUENCE_OFFSET);
  }
  get recordCount(): number {
    return this.buffer.readInt32BE(RECORD_COUNT_OFFSET);
  }

  get lastOffset(): number {
    return this.baseOffset + this.lastOffsetDelta;
  }
  /** The offset after this batch. */
  get nextOffset(): number {
    return this.lastOffset + 1;
  }
  /** Sequence of the last record; sequences wrap at 2^31 like Kafka's. */
  get lastSequence(): number {
    const base = this.baseSequence;
    if (base === NO_SEQUENCE) return NO_SEQUENCE;
    return (base + this.lastOffsetDelta) % 0x8000_0000;
  }
  get compressionCodec(): number {
    return this.attributes & COMPRESSION_CODEC_MASK;
  }
  get timestampType(): TimestampType {
    return this.attributes & TIMESTAMP_TYPE_MASK ? 'log-append-time' : 'create-time';
  }
  get isTransactional(): boolean {
    return (this.attributes & TRANSACTIONAL_MASK) !== 0;
  }
  get isControl(): boolean {
    return (this.attributes & CONTROL_MASK) !== 0;
  }
  get hasProducerId(): boolean {
    return this.producerId >= 0;
  }
  /** The records region: compressed bytes when compressionCodec != 0. */
  get recordsBytes(): Buffer {
    return this.buffer.subarray(RECORD_BATCH_HEADER_SIZE);
  }

  isCrcValid(): boolean {
    return computeBatchCrc(this.buffer) === this.crc;
  }

  /** Throws CorruptRecordError when the stored CRC does not match the bytes. */
  verifyCrc(position = -1): void {
    const actual = computeBatchCrc(this.buffer);
    const stored = this.crc;
    if (actual !== stored) {
      throw new CorruptRecordError(
        'crc-mismatch',
        `Record batch at offset ${this.baseOffset} fails its CRC-32C check: stored ${stored}, computed ${actual}`,
        position,
      );
    }
  }

  /** Outside the CRC: no recomputation needed. */
  setBaseOffset(offset: number): void {
    writeInt64(this.buffer, BASE_OFFSET_OFFSET, offset);
  }

  /** Outside the CRC: no recomputation needed. */
  setPartitionLeaderEpoch(epoch: number): void {
    this.buffer.writeInt32BE(epoch, PARTITION_LEADER_EPOCH_OFFSET);
  }

  /**
   * Stamps the broker's clock for topics with message.timestamp.type =
   * LogAppendTime: sets the timestamp-type bit and maxTimestamp, which are
   * covered by the CRC, so the CRC is recomputed.
   */
  setLogAppendTime(timestamp: number): void {
    this.buffer.writeInt16BE(this.attributes | TIMESTAMP_TYPE_MASK, ATTRIBUTES_OFFSET);
    writeInt64(this.buffer, MAX_TIMESTAMP_OFFSET, timestamp);
    this.updateCrc();
  }

  /** Recomputes and stores the CRC after a change from attributes on. */
  updateCrc(): void {
    this.buffer.writeUInt32BE(computeBatchCrc(this.buffer), CRC_OFFSET);
  }
}
