/**
 * A group's committed offsets, and the offsets that open transactions have
 * committed but not yet made visible (TxnOffsetCommit, staged per producer
 * until the transaction commits or aborts).
 */
import type { OffsetCommitValue } from './store.ts';

export interface TopicPartitionOffset {
  topic: string;
  partition: number;
  value: OffsetCommitValue;
}

interface Positioned {
  value: OffsetCommitValue;
  /** Order in which the commit was written: a transaction's offset loses to a plain commit written after it. */
  position: number;
}

type PartitionMap<T> = Map<string, Map<number, T>>;

function put<T>(map: PartitionMap<T>, topic: string, partition: number, value: T): void {
  let partitions = map.get(topic);
  if (!partitions) {
    partitions = new Map();
    map.set(topic, partitions);
  }
  partitions.set(partition, value);
}

function remove<T>(map: PartitionMap<T>, topic: string, partition: number): boolean {
  const partitions = map.get(topic);
  if (!partitions?.delete(partition)) return false;
  if (partitions.size === 0) map.delete(topic);
  return true;
}

export class GroupOffsets {
  private readonly committed: PartitionMap<Positioned> = new Map();
  private readonly pendingTransactional = new Map<bigint, PartitionMap<Positioned>>();
  private nextPosition = 0;

  get(topic: string, partition: number): OffsetCommitValue | undefined {
    return this.committed.get(topic)?.get(partition)?.value;
  }

  commit(topic: string, partition: number, value: OffsetCommitValue): void {
    put(this.committed, topic, partition, { value, position: this.nextPosition++ });
  }

  remove(topic: string, partition: number): boolean {
    return remove(this.committed, topic, partition);
  }

  /** Every committed offset, topic by topic. */
  *all(): Iterable<TopicPartitionOffset> {
    for (const [topic, partitions] of this.committed) {
      for (const [partition, { value }] of partitions) yield { topic, partition, value };
    }
  }

  get size(): number {
    let count = 0;
    for (const partitions of this.committed.values()) count += partitions.size;
    return count;
  }

  stageTransactional(producerId: bigint, topic: string, partition: number, value: OffsetCommitValue): void {
    let staged = this.pendingTransactional.get(producerId);
    if (!staged) {
      staged = new Map();
      this.pendingTransactional.set(producerId, staged);
    }
    put(staged, topic, partition, { value, position: this.nextPosition++ });
  }

  hasPendingTransaction(producerId: bigint): boolean {
    return this.pendingTransactional.has(producerId);
  }

  get hasPendingTransactions(): boolean {
    return this.pendingTransactional.size > 0;
  }

  /** Whether some open transaction has an offset staged for this partition (OffsetFetch requireStable). */
  isPendingInTransaction(topic: string, partition: number): boolean {
    for (const staged of this.pendingTransactional.values()) {
      if (staged.get(topic)?.has(partition)) return true;
    }
    return false;
  }

  /**
   * Makes a producer's staged offsets visible (commit) or drops them (abort).
   * A staged offset only replaces one committed before it was staged, as in
   * Kafka, where the log position decides.
   */
  completeTransaction(producerId: bigint, commit: boolean): void {
    const staged = this.pendingTransactional.get(producerId);
    if (!staged) return;
    this.pendingTransactional.delete(producerId);
    if (!commit) return;
    for (const [topic, partitions] of staged) {
      for (const [partition, pending] of partitions) {
        const current = this.committed.get(topic)?.get(partition);
        if (!current || current.position < pending.position) put(this.committed, topic, partition, pending);
      }
    }
  }

  /** Committed offsets that retention has expired, removed; `baseTimestamp` is when retention started counting. */
  removeExpired(nowMs: number, retentionMs: number, baseTimestamp: (value: OffsetCommitValue) => number) {
    const expired: { topic: string; partition: number }[] = [];
    for (const { topic, partition, value } of [...this.all()]) {
      const expires = value.expireTimestamp ?? baseTimestamp(value) + retentionMs;
      if (nowMs >= expires) {
        this.remove(topic, partition);
        expired.push({ topic, partition });
      }
    }
    return expired;
  }
}
