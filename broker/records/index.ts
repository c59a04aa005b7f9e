/**
 * broker/records: Kafka v2 record batches (magic 2), the unit the broker
 * receives, stores and serves.
 *
 * Contract:
 * - `RecordBatch` is a zero-copy view over one batch in a Buffer: header
 *   getters, `verifyCrc()`, and in-place rewrites of baseOffset and leader
 *   epoch (outside the CRC) and of log append time (CRC recomputed).
 * - `readRecordBatches(blob)` splits a Produce `records` blob into validated
 *   batches; `iterateRecordBatches` walks framing only. Problems throw
 *   `CorruptRecordError` with a `reason` (truncated, invalid-length,
 *   unsupported-magic for legacy magic 0/1 message sets, crc-mismatch,
 *   invalid-record) and the byte position of the batch.
 * - `buildRecordBatch` / `encodeRecordBatch` build batches, gzip included;
 *   `decodeBatchRecords` reads their records. Snappy, lz4 and zstd throw
 *   `UnsupportedCompressionError` when (de)compression is needed.
 * - `buildControlBatch` / `readTransactionMarker`: commit and abort markers.
 *
 * Offsets, timestamps and producer ids are JS numbers (exact to 2^53).
 */

export {
  CompressionCodec,
  compress,
  compressionCodecName,
  decompress,
  isCompressionSupported,
} from './compression.ts';
export {
  type BuildControlBatchOptions,
  buildControlBatch,
  ControlRecordType,
  readTransactionMarker,
  type TransactionMarker,
} from './control-record.ts';
export { CorruptRecordError, type CorruptRecordReason, UnsupportedCompressionError } from './errors.ts';
export { type BatchRecord, decodeRecords, encodeRecords, type RecordHeader, sizeOfRecord } from './record.ts';
export {
  CURRENT_MAGIC,
  computeBatchCrc,
  LOG_OVERHEAD,
  NO_PRODUCER_EPOCH,
  NO_PRODUCER_ID,
  NO_SEQUENCE,
  NO_TIMESTAMP,
  RECORD_BATCH_HEADER_SIZE,
  RecordBatch,
  readInt64,
  type TimestampType,
  writeInt64,
} from './record-batch.ts';
export {
  type BuildRecordBatchOptions,
  buildRecordBatch,
  decodeBatchRecords,
  encodeRecordBatch,
  encodeUncompressedRecordBatch,
  fieldsOf,
  type RecordBatchFields,
  type RecordInput,
  recordOffset,
  recordTimestamp,
} from './record-batch-builder.ts';
export {
  type BatchBoundsOptions,
  checkBatchFraming,
  iterateRecordBatches,
  MIN_BATCH_LENGTH,
  type PositionedBatch,
  readRecordBatches,
} from './record-batch-iterator.ts';
export { readVarint, sizeOfVarint, writeVarint } from './varint.ts';
