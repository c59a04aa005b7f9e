/**
 * What the log knows about each idempotent or transactional producer, read
 * from batch headers as they are appended or replayed: enough for the broker
 * to deduplicate retries, detect sequence gaps and fence old epochs, and for
 * the log to track open transactions (the last stable offset) and aborted
 * ones (the .txnindex). Saved in `<offset>.snapshot` files so a restart
 * replays only the batches after the snapshot (see producer-snapshot.ts).
 */
import { ControlRecordType, type RecordBatch, readTransactionMarker } from '../records/index.ts';

/** Kafka keeps the metadata of the last five batches of each producer for duplicate detection. */
export const RECENT_BATCHES = 5;

export interface ProducerBatch {
  firstSequence: number;
  lastSequence: number;
  firstOffset: number;
  lastOffset: number;
}

export interface ProducerState {
  producerId: number;
  producerEpoch: number;
  /** Sequence of the last record written; -1 before any data batch. */
  lastSequence: number;
  /** Offset of the last batch (data or marker) written by this producer. */
  lastOffset: number;
  lastTimestamp: number;
  /** Epoch of the coordinator that wrote the last transaction marker; -1 when none. */
  coordinatorEpoch: number;
  /** First offset of the open transaction, -1 when none is open. */
  currentTxnFirstOffset: number;
  /** The last few data batches, oldest first. */
  recentBatches: ProducerBatch[];
}

/** A transaction ended by a marker appended to this log. */
export interface CompletedTransaction {
  producerId: number;
  firstOffset: number;
  /** Offset of the marker. */
  lastOffset: number;
  aborted: boolean;
}

export type SequenceCheck =
  | { kind: 'new' }
  | { kind: 'duplicate'; firstOffset: number; lastOffset: number }
  | { kind: 'out-of-order'; expectedSequence: number }
  | { kind: 'fenced'; currentEpoch: number };

export class ProducerStateTable {
  private readonly producers = new Map<number, ProducerState>();

  get size(): number {
    return this.producers.size;
  }

  get(producerId: number): ProducerState | undefined {
    return this.producers.get(producerId);
  }

  values(): IterableIterator<ProducerState> {
    return this.producers.values();
  }

  /**
   * Records a batch whose offsets are assigned. Returns the transaction a
   * control batch ends, if any. Batches without a producer id are ignored.
   */
  update(batch: RecordBatch): CompletedTransaction | null {
    const producerId = batch.producerId;
    if (producerId < 0) return null;
    const epoch = batch.producerEpoch;
    let state = this.producers.get(producerId);
    if (!state) {
      state = {
        producerId,
        producerEpoch: epoch,
        lastSequence: -1,
        lastOffset: -1,
        lastTimestamp: -1,
        coordinatorEpoch: -1,
        currentTxnFirstOffset: -1,
        recentBatches: [],
      };
      this.producers.set(producerId, state);
    } else if (epoch !== state.producerEpoch) {
      state.producerEpoch = epoch;
      state.recentBatches = [];
      state.lastSequence = -1;
    }
    state.lastOffset = batch.lastOffset;
    state.lastTimestamp = batch.maxTimestamp;

    if (batch.isControl) {
      const marker = readTransactionMarker(batch);
      state.coordinatorEpoch = marker.coordinatorEpoch;
      const firstOffset = state.currentTxnFirstOffset >= 0 ? state.currentTxnFirstOffset : batch.baseOffset;
      state.currentTxnFirstOffset = -1;
      return {
        producerId,
        firstOffset,
        lastOffset: batch.baseOffset,
        aborted: marker.type === ControlRecordType.Abort,
      };
    }
    if (batch.baseSequence >= 0) {
      state.lastSequence = batch.lastSequence;
      state.recentBatches.push({
        firstSequence: batch.baseSequence,
        lastSequence: batch.lastSequence,
        firstOffset: batch.baseOffset,
        lastOffset: batch.lastOffset,
      });
      if (state.recentBatches.length > RECENT_BATCHES) state.recentBatches.shift();
    }
    if (batch.isTransactional && state.currentTxnFirstOffset < 0) state.currentTxnFirstOffset = batch.baseOffset;
    return null;
  }

  /**
   * How an incoming idempotent batch relates to what is stored (Kafka's
   * rules): a retry of one of the recent batches is a duplicate, an older
   * epoch is fenced, a new epoch must start at sequence 0, otherwise the
   * sequence must follow the last one.
   */
  checkSequence(producerId: number, producerEpoch: number, firstSequence: number, lastSequence: number): SequenceCheck {
    const state = this.producers.get(producerId);
    if (!state) return { kind: 'new' };
    if (producerEpoch < state.producerEpoch) return { kind: 'fenced', currentEpoch: state.producerEpoch };
    if (producerEpoch > state.producerEpoch) {
      return firstSequence === 0 ? { kind: 'new' } : { kind: 'out-of-order', expectedSequence: 0 };
    }
    const duplicate = state.recentBatches.find(
      (b) => b.firstSequence === firstSequence && b.lastSequence === lastSequence,
    );
    if (duplicate) return { kind: 'duplicate', firstOffset: duplicate.firstOffset, lastOffset: duplicate.lastOffset };
    const expected = state.lastSequence < 0 ? 0 : (state.lastSequence + 1) % 0x8000_0000;
    if (state.lastSequence >= 0 && firstSequence !== expected)
      return { kind: 'out-of-order', expectedSequence: expected };
    return { kind: 'new' };
  }

  /** First offset of the oldest open transaction, or null when none is open. */
  firstUnstableOffset(): number | null {
    let first: number | null = null;
    for (const state of this.producers.values()) {
      const offset = state.currentTxnFirstOffset;
      if (offset >= 0 && (first === null || offset < first)) first = offset;
    }
    return first;
  }

  /** Forgets producers whose last write fell below the log start and have no open transaction. */
  removeBefore(logStartOffset: number): void {
    for (const [producerId, state] of this.producers) {
      if (state.lastOffset < logStartOffset && state.currentTxnFirstOffset < 0) this.producers.delete(producerId);
    }
  }

  clear(): void {
    this.producers.clear();
  }

  toJSON(): ProducerState[] {
    return [...this.producers.values()];
  }

  load(states: readonly ProducerState[]): void {
    this.producers.clear();
    for (const state of states)
      this.producers.set(state.producerId, { ...state, recentBatches: [...state.recentBatches] });
  }
}
