/**
 * The broker's own records on its own log: the coordinators keep their
 * state in compacted internal topics (`__consumer_offsets`,
 * `__transaction_state`), as Kafka does, so it is durable, compacted and
 * recovered exactly like any other partition.
 */
import { ERROR_CODES } from '../protocol/index.ts';
import {
  type BatchRecord,
  type BuildRecordBatchOptions,
  buildRecordBatch,
  decodeBatchRecords,
  type RecordBatch,
  readRecordBatches,
} from '../records/index.ts';
import type { Partition } from '../topics/partition.ts';
import { TopicError, type TopicManager } from '../topics/topic-manager.ts';

export const CONSUMER_OFFSETS_TOPIC = '__consumer_offsets';
export const TRANSACTION_STATE_TOPIC = '__transaction_state';

/** Opens (creating on first start) a one-partition compacted internal topic. */
export async function internalPartition(topics: TopicManager, name: string): Promise<Partition> {
  if (!topics.get(name)) {
    try {
      await topics.create(name, { partitions: 1, replicationFactor: -1, configs: { 'cleanup.policy': 'compact' } });
    } catch (error) {
      if (!(error instanceof TopicError && error.errorCode === ERROR_CODES.TOPIC_ALREADY_EXISTS)) throw error;
    }
  }
  return topics.partition(name, 0)!;
}

export interface InternalRecord {
  key: Buffer;
  /** null deletes the key (a tombstone, removed by compaction). */
  value: Buffer | null;
}

/** Appends records as one batch; resolves once the log holds them. */
export async function appendInternal(
  partition: Partition,
  records: InternalRecord[],
  batch: Omit<BuildRecordBatchOptions, 'records'> = {},
): Promise<number> {
  return partition.appendInternal(await buildRecordBatch({ ...batch, records }));
}

/** Every batch of the partition from its start, with its records decoded. */
export async function* readInternal(
  partition: Partition,
): AsyncIterable<{ batch: RecordBatch; records: BatchRecord[] }> {
  let offset = partition.log.logStartOffset;
  const end = partition.log.logEndOffset;
  while (offset < end) {
    const { records, nextOffset } = await partition.log.read(offset, 1024 * 1024);
    if (nextOffset <= offset) break;
    for (const batch of readRecordBatches(records)) {
      yield { batch, records: batch.isControl ? [] : await decodeBatchRecords(batch) };
    }
    offset = nextOffset;
  }
}
