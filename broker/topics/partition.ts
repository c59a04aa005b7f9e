/**
 * One partition of a topic as the request handlers see it: its log, the
 * idempotent-producer checks in front of appends, and the wake-ups that let
 * long-polling fetches return as soon as data arrives.
 */
import { OffsetOutOfRangeError, type PartitionLog } from '../log/index.ts';
import { ERROR_CODES } from '../protocol/index.ts';
import { CorruptRecordError, RECORD_BATCH_HEADER_SIZE, RecordBatch } from '../records/index.ts';

export interface ProduceResult {
  errorCode: number;
  errorMessage: string | null;
  baseOffset: number;
  logAppendTime: number;
  logStartOffset: number;
}

export interface FetchResult {
  errorCode: number;
  highWatermark: number;
  lastStableOffset: number;
  logStartOffset: number;
  /** Only for read_committed fetches. */
  abortedTransactions: { producerId: number; firstOffset: number }[] | null;
  records: Buffer | null;
}

/** FetchRequest isolation_level: 0 read_uncommitted, 1 read_committed. */
export const READ_COMMITTED = 1;

export class Partition {
  private readonly waiters = new Set<() => void>();

  constructor(
    readonly topic: string,
    readonly index: number,
    readonly log: PartitionLog,
  ) {}

  /** The offset consumers can read up to: everything appended (one replica, so all of it is replicated). */
  get highWatermark(): number {
    return this.log.logEndOffset;
  }

  /**
   * Appends a Produce `records` blob after the idempotence checks: a retried
   * batch is acknowledged with its original offset and not written again; a
   * gap in sequence numbers or an old producer epoch is refused.
   */
  async produce(blob: Buffer): Promise<ProduceResult> {
    const first = blob.length >= RECORD_BATCH_HEADER_SIZE ? new RecordBatch(blob) : undefined;
    if (first && first.producerId >= 0 && first.baseSequence >= 0) {
      // Synchronous from here to the append: no other append can interleave.
      const check = this.log.checkSequence(
        first.producerId,
        first.producerEpoch,
        first.baseSequence,
        first.lastSequence,
      );
      if (check.kind === 'duplicate') return this.result(0, null, check.firstOffset, -1);
      if (check.kind === 'out-of-order') {
        return this.result(
          ERROR_CODES.OUT_OF_ORDER_SEQUENCE_NUMBER,
          `expected sequence ${check.expectedSequence} from producer ${first.producerId}, got ${first.baseSequence}`,
        );
      }
      if (check.kind === 'fenced') {
        return this.result(
          ERROR_CODES.INVALID_PRODUCER_EPOCH,
          `producer ${first.producerId} epoch ${first.producerEpoch} is older than ${check.currentEpoch}`,
        );
      }
    }
    try {
      const appended = await this.log.append(blob);
      this.wake();
      return this.result(0, null, appended.baseOffset, appended.logAppendTime);
    } catch (error) {
      if (error instanceof CorruptRecordError) {
        const code = error.reason === 'too-large' ? ERROR_CODES.MESSAGE_TOO_LARGE : ERROR_CODES.CORRUPT_MESSAGE;
        return this.result(code, error.message);
      }
      throw error;
    }
  }

  /** Appends batches written by the broker itself (transaction markers, internal topics). */
  async appendInternal(blob: Buffer): Promise<number> {
    const appended = await this.log.append(blob, { origin: 'coordinator' });
    this.wake();
    return appended.baseOffset;
  }

  async fetch(
    fetchOffset: number,
    maxBytes: number,
    isolationLevel: number,
    minOneBatch: boolean,
  ): Promise<FetchResult> {
    const log = this.log;
    const committed = isolationLevel === READ_COMMITTED;
    const base = {
      highWatermark: this.highWatermark,
      lastStableOffset: log.lastStableOffset,
      logStartOffset: log.logStartOffset,
    };
    try {
      const read = await log.read(fetchOffset, maxBytes, {
        maxOffset: committed ? base.lastStableOffset : base.highWatermark,
        minOneBatch,
      });
      const abortedTransactions = committed
        ? log
            .abortedTransactions(fetchOffset, read.nextOffset)
            .map((t) => ({ producerId: t.producerId, firstOffset: t.firstOffset }))
        : null;
      return { errorCode: 0, ...base, abortedTransactions, records: read.records };
    } catch (error) {
      if (error instanceof OffsetOutOfRangeError) {
        return { errorCode: ERROR_CODES.OFFSET_OUT_OF_RANGE, ...base, abortedTransactions: null, records: null };
      }
      throw error;
    }
  }

  /** Calls `wake` once, the next time data is appended; returns a function that cancels the wait. */
  onAppend(wake: () => void): () => void {
    const once = () => {
      this.waiters.delete(once);
      wake();
    };
    this.waiters.add(once);
    return () => this.waiters.delete(once);
  }

  /** Wakes every fetch waiting on this partition. */
  wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  private result(errorCode: number, errorMessage: string | null, baseOffset = -1, logAppendTime = -1): ProduceResult {
    return { errorCode, errorMessage, baseOffset, logAppendTime, logStartOffset: this.log.logStartOffset };
  }
}
