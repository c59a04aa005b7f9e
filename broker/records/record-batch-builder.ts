/**
 * Encodes v2 record batches (see record-batch.ts for the layout) and decodes
 * their records. Producers in tests, transaction markers and the log cleaner
 * build batches here; the produce path never does.
 */

import { CompressionCodec, compress, decompress } from './compression.ts';
import { CorruptRecordError } from './errors.ts';
import { type BatchRecord, decodeRecords, encodeRecords, type RecordHeader } from './record.ts';
import {
  ATTRIBUTES_OFFSET,
  BASE_SEQUENCE_OFFSET,
  BASE_TIMESTAMP_OFFSET,
  BATCH_LENGTH_OFFSET,
  COMPRESSION_CODEC_MASK,
  CONTROL_MASK,
  CURRENT_MAGIC,
  LAST_OFFSET_DELTA_OFFSET,
  LOG_OVERHEAD,
  MAGIC_OFFSET,
  MAX_TIMESTAMP_OFFSET,
  NO_PRODUCER_EPOCH,
  NO_PRODUCER_ID,
  NO_SEQUENCE,
  PARTITION_LEADER_EPOCH_OFFSET,
  PRODUCER_EPOCH_OFFSET,
  PRODUCER_ID_OFFSET,
  RECORD_BATCH_HEADER_SIZE,
  RECORD_COUNT_OFFSET,
  RecordBatch,
  TIMESTAMP_TYPE_MASK,
  type TimestampType,
  TRANSACTIONAL_MASK,
  writeInt64,
} from './record-batch.ts';

/** Every header field of a batch except length, magic and CRC, which are derived. */
export interface RecordBatchFields {
  baseOffset: number;
  partitionLeaderEpoch: number;
  compression: number;
  timestampType: TimestampType;
  transactional: boolean;
  control: boolean;
  lastOffsetDelta: number;
  baseTimestamp: number;
  maxTimestamp: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
}

function attributesOf(fields: RecordBatchFields): number {
  return (
    (fields.compression & COMPRESSION_CODEC_MASK) |
    (fields.timestampType === 'log-append-time' ? TIMESTAMP_TYPE_MASK : 0) |
    (fields.transactional ? TRANSACTIONAL_MASK : 0) |
    (fields.control ? CONTROL_MASK : 0)
  );
}

/** Lays out header + records bytes (already compressed if need be) and stamps the CRC. */
function assembleBatch(fields: RecordBatchFields, recordsBytes: Buffer, recordCount: number): Buffer {
  const buffer = Buffer.allocUnsafe(RECORD_BATCH_HEADER_SIZE + recordsBytes.length);
  writeInt64(buffer, 0, fields.baseOffset);
  buffer.writeInt32BE(buffer.length - LOG_OVERHEAD, BATCH_LENGTH_OFFSET);
  buffer.writeInt32BE(fields.partitionLeaderEpoch, PARTITION_LEADER_EPOCH_OFFSET);
  buffer.writeInt8(CURRENT_MAGIC, MAGIC_OFFSET);
  buffer.writeInt16BE(attributesOf(fields), ATTRIBUTES_OFFSET);
  buffer.writeInt32BE(fields.lastOffsetDelta, LAST_OFFSET_DELTA_OFFSET);
  writeInt64(buffer, BASE_TIMESTAMP_OFFSET, fields.baseTimestamp);
  writeInt64(buffer, MAX_TIMESTAMP_OFFSET, fields.maxTimestamp);
  writeInt64(buffer, PRODUCER_ID_OFFSET, fields.producerId);
  buffer.writeInt16BE(fields.producerEpoch, PRODUCER_EPOCH_OFFSET);
  buffer.writeInt32BE(fields.baseSequence, BASE_SEQUENCE_OFFSET);
  buffer.writeInt32BE(recordCount, RECORD_COUNT_OFFSET);
  recordsBytes.copy(buffer, RECORD_BATCH_HEADER_SIZE);
  new RecordBatch(buffer).updateCrc();
  return buffer;
}

/** Encodes an uncompressed batch synchronously (control batches are never compressed). */
export function encodeUncompressedRecordBatch(fields: RecordBatchFields, records: readonly BatchRecord[]): Buffer {
  if (fields.compression !== CompressionCodec.None) {
    throw new Error('encodeUncompressedRecordBatch: use encodeRecordBatch for a compressed batch');
  }
  return assembleBatch(fields, encodeRecords(records), records.length);
}

/** Encodes a batch with exactly the given header fields and records, compressing if asked. */
export async function encodeRecordBatch(fields: RecordBatchFields, records: readonly BatchRecord[]): Promise<Buffer> {
  const recordsBytes = await compress(fields.compression, encodeRecords(records));
  return assembleBatch(fields, recordsBytes, records.length);
}

export interface RecordInput {
  key?: Buffer | string | null;
  /** null is a tombstone. */
  value: Buffer | string | null;
  headers?: RecordHeader[] | Record<string, Buffer | string | null>;
  /** Create time in ms; defaults to the batch's `timestamp`. */
  timestamp?: number;
}

export interface BuildRecordBatchOptions {
  records: RecordInput[];
  baseOffset?: number;
  compression?: CompressionCodec;
  /** Default time for records without one; defaults to Date.now(). */
  timestamp?: number;
  producerId?: number;
  producerEpoch?: number;
  baseSequence?: number;
  transactional?: boolean;
  partitionLeaderEpoch?: number;
}

function toBytes(value: Buffer | string | null | undefined): Buffer | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
}

function toHeaders(headers: RecordInput['headers']): RecordHeader[] {
  if (headers === undefined) return [];
  if (Array.isArray(headers)) return headers;
  return Object.entries(headers).map(([key, value]) => ({ key, value: toBytes(value) }));
}

/**
 * Builds a batch the way a producer does: offset deltas 0..n-1, base
 * timestamp from the first record, create-time timestamps.
 */
export async function buildRecordBatch(options: BuildRecordBatchOptions): Promise<Buffer> {
  if (options.records.length === 0) throw new Error('buildRecordBatch: a batch needs at least one record');
  const now = options.timestamp ?? Date.now();
  const timestamps = options.records.map((record) => record.timestamp ?? now);
  const baseTimestamp = timestamps[0] ?? now;
  const records: BatchRecord[] = options.records.map((record, i) => ({
    attributes: 0,
    timestampDelta: (timestamps[i] ?? now) - baseTimestamp,
    offsetDelta: i,
    key: toBytes(record.key),
    value: toBytes(record.value),
    headers: toHeaders(record.headers),
  }));
  return encodeRecordBatch(
    {
      baseOffset: options.baseOffset ?? 0,
      partitionLeaderEpoch: options.partitionLeaderEpoch ?? -1,
      compression: options.compression ?? CompressionCodec.None,
      timestampType: 'create-time',
      transactional: options.transactional ?? false,
      control: false,
      lastOffsetDelta: records.length - 1,
      baseTimestamp,
      maxTimestamp: Math.max(...timestamps),
      producerId: options.producerId ?? NO_PRODUCER_ID,
      producerEpoch: options.producerEpoch ?? NO_PRODUCER_EPOCH,
      baseSequence: options.baseSequence ?? NO_SEQUENCE,
    },
    records,
  );
}

/** The header fields of an existing batch, to rebuild it with other records. */
export function fieldsOf(batch: RecordBatch): RecordBatchFields {
  return {
    baseOffset: batch.baseOffset,
    partitionLeaderEpoch: batch.partitionLeaderEpoch,
    compression: batch.compressionCodec,
    timestampType: batch.timestampType,
    transactional: batch.isTransactional,
    control: batch.isControl,
    lastOffsetDelta: batch.lastOffsetDelta,
    baseTimestamp: batch.baseTimestamp,
    maxTimestamp: batch.maxTimestamp,
    producerId: batch.producerId,
    producerEpoch: batch.producerEpoch,
    baseSequence: batch.baseSequence,
  };
}

/** Decompresses (gzip or none) and decodes every record of `batch`. */
export async function decodeBatchRecords(batch: RecordBatch): Promise<BatchRecord[]> {
  const count = batch.recordCount;
  if (count < 0)
    throw new CorruptRecordError(
      'invalid-record',
      `Record batch at offset ${batch.baseOffset} declares ${count} records`,
    );
  const data = await decompress(batch.compressionCodec, batch.recordsBytes);
  return decodeRecords(data, count);
}

/** Absolute offset of a record of `batch`. */
export function recordOffset(batch: RecordBatch, record: BatchRecord): number {
  return batch.baseOffset + record.offsetDelta;
}

/** The timestamp a consumer sees: the batch's maxTimestamp under log append time. */
export function recordTimestamp(batch: RecordBatch, record: BatchRecord): number {
  return batch.timestampType === 'log-append-time' ? batch.maxTimestamp : batch.baseTimestamp + record.timestampDelta;
}
