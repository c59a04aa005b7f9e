/**
 * What the transaction coordinator persists, and where. Kafka keeps it in the
 * compacted topic `__transaction_state`: one record per transactional id (its
 * latest metadata), plus the producer-id block so that ids are never handed
 * out twice across restarts. The store is an interface so that tests can keep
 * it in memory and the broker on its own log.
 */

export type TransactionState =
  | 'Empty'
  | 'Ongoing'
  | 'PrepareCommit'
  | 'PrepareAbort'
  | 'CompleteCommit'
  | 'CompleteAbort'
  | 'Dead';

export interface TopicPartitionRef {
  topic: string;
  partition: number;
}

export interface TransactionMetadata {
  transactionalId: string;
  producerId: number;
  producerEpoch: number;
  timeoutMs: number;
  state: TransactionState;
  /** Partitions written in the current transaction. */
  partitions: TopicPartitionRef[];
  /** Consumer groups whose offsets the current transaction commits (AddOffsetsToTxn). */
  groups: string[];
  /** When the current transaction began (its first AddPartitionsToTxn or AddOffsetsToTxn). */
  startedAt: number;
  updatedAt: number;
}

export type TransactionLogRecord =
  | { kind: 'transaction'; metadata: TransactionMetadata }
  /** Producer ids below `nextBlockStart` may have been handed out already. */
  | { kind: 'producer-id-block'; nextBlockStart: number };

export interface TransactionLogStore {
  append(records: TransactionLogRecord[]): Promise<void>;
  load(): AsyncIterable<TransactionLogRecord>;
}

/** A store in memory, for tests; `records` survives a coordinator "restart" built on the same store. */
export class InMemoryTransactionLogStore implements TransactionLogStore {
  readonly records: TransactionLogRecord[] = [];

  async append(records: TransactionLogRecord[]): Promise<void> {
    this.records.push(...structuredClone(records));
  }

  async *load(): AsyncIterable<TransactionLogRecord> {
    yield* structuredClone(this.records);
  }
}
