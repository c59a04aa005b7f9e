/**
 * broker/log: the durable log of one topic partition, laid out on disk like
 * Kafka's (README.md describes the files).
 *
 * Contract:
 * - `PartitionLog.open(dir, config)` creates or opens a log, recovering a
 *   torn tail after a crash (`recoveredTail` says what was cut).
 * - `append(blob)` takes a Produce `records` blob as received (v2 batches),
 *   validates framing and CRC, assigns offsets in place and writes it whole;
 *   throws CorruptRecordError (from broker/records) for a bad blob.
 * - `read(fromOffset, maxBytes, {maxOffset})` returns whole batches from the
 *   one containing fromOffset; at least one batch even past maxBytes;
 *   OffsetOutOfRangeError outside [logStartOffset, logEndOffset].
 * - `offsetForTimestamp`, `abortedTransactions`, `lastStableOffset` and the
 *   producer state (`producerState`, `checkSequence`) serve ListOffsets,
 *   read_committed fetches and idempotent producers.
 * - `deleteRecordsBefore`, `cleanup()` (retention, compaction when due),
 *   `compact()`, `flush()`, `close()`, `delete()`.
 *
 * Offsets and timestamps are JS numbers. Memory is bounded by the
 * configuration (index write buffers, the cleaner's key map), never by the
 * size of the log.
 */
export { LogClosedError, OffsetOutOfRangeError } from './errors.ts';
export type { CompactionResult } from './log-cleaner.ts';
export {
  type CleanupPolicy,
  DEFAULT_LOG_CONFIG,
  type LogConfig,
  LogConfigError,
  logConfigFromTopicConfigs,
  type MessageTimestampType,
  validateLogConfig,
} from './log-config.ts';
export type { TruncatedTail } from './log-loader.ts';
export {
  type AppendOptions,
  type AppendOrigin,
  type AppendResult,
  type CleanupResult,
  type LogReadResult,
  PartitionLog,
  type PartitionLogOptions,
  type ReadOptions,
  type TimestampOffset,
} from './partition-log.ts';
export type { ProducerBatch, ProducerState, SequenceCheck } from './producer-state.ts';
export type { AbortedTransaction } from './transaction-index.ts';
