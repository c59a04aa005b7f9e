/**
 * The transaction coordinator: hands out producer ids and epochs, tracks each
 * transactional id through its states, writes the commit or abort markers to
 * every partition a transaction touched, makes its consumer-group offsets
 * visible (or drops them), and aborts transactions that outlive their timeout.
 *
 *   Empty ──AddPartitions/AddOffsets──▶ Ongoing ──EndTxn──▶ PrepareCommit|PrepareAbort
 *     ▲                                                          │ markers written
 *     └──────────── CompleteCommit|CompleteAbort ◀───────────────┘
 *
 * Each state change is persisted before it is acted on, so a coordinator
 * that restarts in a Prepare state finishes the transaction the same way.
 */
import type { Logger } from '../../logging/index.ts';
import { ERROR_CODES } from '../protocol/index.ts';
import type {
  TopicPartitionRef,
  TransactionLogRecord,
  TransactionLogStore,
  TransactionMetadata,
} from './transaction-log.ts';

/** Writes transaction markers (control batches) to the given partitions. */
export interface TransactionMarkerWriter {
  writeMarkers(
    partitions: TopicPartitionRef[],
    marker: { producerId: number; producerEpoch: number; commit: boolean },
  ): Promise<void>;
}

/** The group coordinator's side of a transaction: staged offset commits become visible or vanish. */
export interface TransactionalOffsets {
  completeTransaction(groupIds: string[], producerId: number, commit: boolean): Promise<void>;
}

export interface TransactionCoordinatorOptions {
  store: TransactionLogStore;
  markers: TransactionMarkerWriter;
  offsets: TransactionalOffsets;
  logger: Logger;
  /** transaction.max.timeout.ms: the longest timeout a producer may ask for. */
  maxTimeoutMs?: number;
  /** How often expired transactions are looked for (Kafka: transaction.abort.timed.out.transaction.cleanup.interval.ms). */
  expiryCheckIntervalMs?: number;
  now?: () => number;
}

export type InitProducerIdResult = { errorCode: number; producerId: number; producerEpoch: number };

/** Producer ids are reserved in blocks, so that only one record in a thousand ids is written. */
const PRODUCER_ID_BLOCK = 1000;
/** Epochs are int16; at the top a transactional id gets a new producer id. */
const MAX_EPOCH = 32_766;

export class TransactionCoordinator {
  private readonly transactions = new Map<string, TransactionMetadata>();
  private nextProducerId = 0;
  private reservedUpTo = 0;
  private expiryTimer?: NodeJS.Timeout;
  /** Per transactional id, the operation in progress: requests for one id run one at a time. */
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly now: () => number;
  private readonly maxTimeoutMs: number;

  constructor(private readonly options: TransactionCoordinatorOptions) {
    this.now = options.now ?? Date.now;
    this.maxTimeoutMs = options.maxTimeoutMs ?? 900_000;
  }

  /** Rebuilds the state from the store, finishes transactions caught in a Prepare state, starts the expiry check. */
  async load(): Promise<void> {
    for await (const record of this.options.store.load()) {
      if (record.kind === 'producer-id-block') {
        this.reservedUpTo = Math.max(this.reservedUpTo, record.nextBlockStart);
      } else {
        this.transactions.set(record.metadata.transactionalId, record.metadata);
        this.reservedUpTo = Math.max(this.reservedUpTo, record.metadata.producerId + 1);
      }
    }
    this.nextProducerId = this.reservedUpTo;
    for (const metadata of this.transactions.values()) {
      if (metadata.state === 'PrepareCommit' || metadata.state === 'PrepareAbort') {
        await this.complete(metadata, metadata.state === 'PrepareCommit');
      }
    }
    const interval = this.options.expiryCheckIntervalMs ?? 1000;
    this.expiryTimer = setInterval(() => void this.abortExpired(), interval);
    this.expiryTimer.unref();
  }

  close(): void {
    clearInterval(this.expiryTimer);
  }

  describe(transactionalId: string): TransactionMetadata | undefined {
    const metadata = this.transactions.get(transactionalId);
    return metadata && structuredClone(metadata);
  }

  /** InitProducerId: a new producer id (idempotent producers), or the next epoch of a transactional id. */
  initProducerId(transactionalId: string | null, timeoutMs: number): Promise<InitProducerIdResult> {
    if (transactionalId === null) {
      return this.allocateProducerId().then((producerId) => ({ errorCode: 0, producerId, producerEpoch: 0 }));
    }
    if (timeoutMs <= 0 || timeoutMs > this.maxTimeoutMs) {
      return Promise.resolve({ errorCode: ERROR_CODES.INVALID_TRANSACTION_TIMEOUT, producerId: -1, producerEpoch: -1 });
    }
    return this.serialized(transactionalId, async () => {
      let metadata = this.transactions.get(transactionalId);
      if (
        metadata &&
        (metadata.state === 'Ongoing' || metadata.state === 'PrepareAbort' || metadata.state === 'PrepareCommit')
      ) {
        // A producer restarting with the same id fences its earlier self: what that one left open is aborted.
        const commit = metadata.state === 'PrepareCommit';
        if (metadata.state === 'Ongoing') {
          metadata = await this.persist({
            ...metadata,
            producerEpoch: this.bumpEpoch(metadata.producerEpoch),
            state: 'PrepareAbort',
          });
        }
        metadata = await this.complete(metadata, commit);
      }
      const fresh = !metadata || metadata.producerEpoch >= MAX_EPOCH;
      const next: TransactionMetadata = {
        transactionalId,
        producerId: fresh ? await this.allocateProducerId() : metadata!.producerId,
        producerEpoch: fresh ? 0 : metadata!.producerEpoch + 1,
        timeoutMs,
        state: 'Empty',
        partitions: [],
        groups: [],
        startedAt: -1,
        updatedAt: this.now(),
      };
      await this.persist(next);
      return { errorCode: 0, producerId: next.producerId, producerEpoch: next.producerEpoch };
    });
  }

  /** AddPartitionsToTxn: the partitions the transaction will write; one error code for all of them. */
  addPartitions(
    transactionalId: string,
    producerId: number,
    producerEpoch: number,
    partitions: TopicPartitionRef[],
  ): Promise<number> {
    return this.serialized(transactionalId, async () => {
      const check = this.checkProducer(transactionalId, producerId, producerEpoch);
      if (typeof check === 'number') return check;
      if (check.state === 'PrepareCommit' || check.state === 'PrepareAbort') return ERROR_CODES.CONCURRENT_TRANSACTIONS;
      const known = new Set(check.partitions.map((p) => `${p.topic}\u0000${p.partition}`));
      const added = partitions.filter((p) => !known.has(`${p.topic}\u0000${p.partition}`));
      if (added.length === 0 && check.state === 'Ongoing') return 0;
      await this.persist(this.ongoing(check, { partitions: [...check.partitions, ...added] }));
      return 0;
    });
  }

  /** AddOffsetsToTxn: the transaction will commit offsets of this group (TxnOffsetCommit follows). */
  addOffsets(transactionalId: string, producerId: number, producerEpoch: number, groupId: string): Promise<number> {
    return this.serialized(transactionalId, async () => {
      const check = this.checkProducer(transactionalId, producerId, producerEpoch);
      if (typeof check === 'number') return check;
      if (check.state === 'PrepareCommit' || check.state === 'PrepareAbort') return ERROR_CODES.CONCURRENT_TRANSACTIONS;
      if (check.groups.includes(groupId) && check.state === 'Ongoing') return 0;
      await this.persist(this.ongoing(check, { groups: [...new Set([...check.groups, groupId])] }));
      return 0;
    });
  }

  /** True when the producer may stage offsets for this transaction (TxnOffsetCommit's check). */
  isOngoing(transactionalId: string, producerId: number, producerEpoch: number): number {
    const check = this.checkProducer(transactionalId, producerId, producerEpoch);
    if (typeof check === 'number') return check;
    return check.state === 'Ongoing' ? 0 : ERROR_CODES.INVALID_TXN_STATE;
  }

  /** EndTxn: commit or abort. Retries of a finished EndTxn succeed; a contradicting one is INVALID_TXN_STATE. */
  endTransaction(transactionalId: string, producerId: number, producerEpoch: number, commit: boolean): Promise<number> {
    return this.serialized(transactionalId, async () => {
      const check = this.checkProducer(transactionalId, producerId, producerEpoch);
      if (typeof check === 'number') return check;
      switch (check.state) {
        case 'Ongoing': {
          const prepared = await this.persist({
            ...check,
            state: commit ? 'PrepareCommit' : 'PrepareAbort',
            updatedAt: this.now(),
          });
          await this.complete(prepared, commit);
          return 0;
        }
        case 'CompleteCommit':
          return commit ? 0 : ERROR_CODES.INVALID_TXN_STATE;
        case 'CompleteAbort':
          return commit ? ERROR_CODES.INVALID_TXN_STATE : 0;
        case 'PrepareCommit':
        case 'PrepareAbort':
          return ERROR_CODES.CONCURRENT_TRANSACTIONS;
        default:
          return ERROR_CODES.INVALID_TXN_STATE;
      }
    });
  }

  /** Aborts every ongoing transaction older than its timeout, fencing its producer with a new epoch. */
  async abortExpired(): Promise<void> {
    const now = this.now();
    for (const metadata of this.transactions.values()) {
      if (metadata.state !== 'Ongoing' || now - metadata.startedAt <= metadata.timeoutMs) continue;
      await this.serialized(metadata.transactionalId, async () => {
        const current = this.transactions.get(metadata.transactionalId);
        if (current?.state !== 'Ongoing' || now - current.startedAt <= current.timeoutMs) return;
        this.options.logger.info(
          { transactionalId: current.transactionalId, producerId: current.producerId, timeoutMs: current.timeoutMs },
          'transaction timed out; aborting it',
        );
        const prepared = await this.persist({
          ...current,
          producerEpoch: this.bumpEpoch(current.producerEpoch),
          state: 'PrepareAbort',
          updatedAt: this.now(),
        });
        await this.complete(prepared, false);
      });
    }
  }

  private checkProducer(
    transactionalId: string,
    producerId: number,
    producerEpoch: number,
  ): TransactionMetadata | number {
    const metadata = this.transactions.get(transactionalId);
    if (!metadata || metadata.producerId !== producerId) return ERROR_CODES.INVALID_PRODUCER_ID_MAPPING;
    if (metadata.producerEpoch !== producerEpoch) return ERROR_CODES.INVALID_PRODUCER_EPOCH;
    return metadata;
  }

  private ongoing(metadata: TransactionMetadata, change: Partial<TransactionMetadata>): TransactionMetadata {
    const starting = metadata.state !== 'Ongoing';
    return {
      ...metadata,
      ...(starting && { partitions: [], groups: [], startedAt: this.now() }),
      ...change,
      state: 'Ongoing',
      updatedAt: this.now(),
    };
  }

  /** Writes the markers, settles the offsets, and records the transaction complete. */
  private async complete(metadata: TransactionMetadata, commit: boolean): Promise<TransactionMetadata> {
    const marker = { producerId: metadata.producerId, producerEpoch: metadata.producerEpoch, commit };
    if (metadata.partitions.length > 0) await this.options.markers.writeMarkers(metadata.partitions, marker);
    if (metadata.groups.length > 0)
      await this.options.offsets.completeTransaction(metadata.groups, metadata.producerId, commit);
    return this.persist({
      ...metadata,
      state: commit ? 'CompleteCommit' : 'CompleteAbort',
      partitions: [],
      groups: [],
      updatedAt: this.now(),
    });
  }

  private async persist(metadata: TransactionMetadata): Promise<TransactionMetadata> {
    await this.options.store.append([{ kind: 'transaction', metadata }]);
    this.transactions.set(metadata.transactionalId, metadata);
    return metadata;
  }

  private async allocateProducerId(): Promise<number> {
    if (this.nextProducerId >= this.reservedUpTo) {
      const record: TransactionLogRecord = {
        kind: 'producer-id-block',
        nextBlockStart: this.nextProducerId + PRODUCER_ID_BLOCK,
      };
      await this.options.store.append([record]);
      this.reservedUpTo = record.nextBlockStart;
    }
    return this.nextProducerId++;
  }

  private bumpEpoch(epoch: number): number {
    return Math.min(epoch + 1, MAX_EPOCH);
  }

  private serialized<T>(transactionalId: string, operation: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(transactionalId) ?? Promise.resolve();
    const result = previous.then(operation, operation);
    const settled = result.catch(() => undefined);
    this.locks.set(transactionalId, settled);
    void settled.then(() => {
      if (this.locks.get(transactionalId) === settled) this.locks.delete(transactionalId);
    });
    return result;
  }
}
