/**
 * A task's input partitions and the order it processes their records in,
 * as Kafka Streams' PartitionGroup does: fetched records wait in one queue
 * per partition; the next record is the head with the smallest timestamp
 * (ties: the partition listed first), and, as KIP-695 says, a partition is
 * not processed ahead while another partition of the task has an empty
 * queue but records on the broker not yet fetched (its lag is not known to
 * be zero). So a record is joined after the table records before it in time,
 * whichever partition kafkajs fetched first.
 *
 * What is known of a log's end must be newer than the records it is weighed
 * against: Kafka's consumer learns every partition's end from each fetch
 * response, but kafkajs reports only partitions with records. So each
 * partition remembers when its end was learned (`at`, the time the fetch
 * completed), and an empty partition whose end is older than the newest
 * buffered records holds the task until `confirm` brings a fresher one
 * (KafkaStreams asks the broker: ListOffsets).
 *
 * Records are kept as they were fetched (the runtime's are kafkajs's
 * messages), their offsets and timestamps read once into arrays of numbers
 * beside them: no object per record, which would live until processed.
 */
import type { Headers } from '../processor/record.ts';

export interface BufferedRecord {
  readonly offset: number;
  readonly timestamp: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Headers;
}

/** How a group reads a record's offset and timestamp as numbers. */
export interface RecordPosition<R> {
  offset(record: R): number;
  timestamp(record: R): number;
}

const bufferedRecordPosition: RecordPosition<BufferedRecord> = {
  offset: (r) => r.offset,
  timestamp: (r) => r.timestamp,
};

interface PartitionQueue<R> {
  readonly topic: string;
  readonly partition: number;
  readonly records: R[];
  /** Offsets and timestamps of `records`, index for index. */
  readonly offsets: number[];
  readonly timestamps: number[];
  /** Index of the head in `records` (a moving start, so taking the head is O(1)). */
  head: number;
  /** Next offset to buffer: records below it were buffered already (a re-fetch after a rebalance). */
  nextOffset: number;
  /** Next offset to process: what a commit records as consumed. */
  committable: number;
  /** The end of the log (high watermark) as last fetched: records from nextOffset to it are lag. */
  endOffset: number;
  /** When endOffset was learned (caller's clock). */
  knownAt: number;
  /** When the newest buffered records were fetched. */
  arrivedAt: number;
}

export class PartitionGroup<R = BufferedRecord> {
  private readonly queues: PartitionQueue<R>[];

  /**
   * `positions` are the task's partitions, in order, with the offset it
   * starts processing from and the end of each log when it starts;
   * `position` reads a record's offset and timestamp (by default those of a
   * BufferedRecord: give it for any other kind of record).
   */
  constructor(
    positions: readonly { topic: string; partition: number; offset: number; endOffset: number }[],
    knownAt: number,
    private readonly position: RecordPosition<R> = bufferedRecordPosition as unknown as RecordPosition<R>,
  ) {
    this.queues = positions.map((p) => ({
      topic: p.topic,
      partition: p.partition,
      records: [],
      offsets: [],
      timestamps: [],
      head: 0,
      nextOffset: p.offset,
      committable: p.offset,
      endOffset: Math.max(p.offset, p.endOffset),
      knownAt,
      arrivedAt: knownAt,
    }));
  }

  /**
   * Buffers fetched records (those already buffered are skipped) and what the
   * fetch said of the log's end. The fetch was sent at `sentAt` (the end it
   * reports is at least that fresh) and completed at `receivedAt` (its
   * records were on the broker by then): a broker reads a fetch's
   * partitions one after another, so another partition's records in the
   * same response may be newer than this end.
   */
  add(
    topic: string,
    partition: number,
    records: readonly R[],
    fetchedTo: number,
    endOffset: number,
    sentAt: number,
    receivedAt: number,
  ): void {
    const q = this.queue(topic, partition);
    q.knownAt = Math.max(q.knownAt, sentAt);
    if (records.length > 0) q.arrivedAt = Math.max(q.arrivedAt, receivedAt);
    const position = this.position;
    for (const r of records) {
      const offset = position.offset(r);
      if (offset < q.nextOffset) continue;
      q.records.push(r);
      q.offsets.push(offset);
      q.timestamps.push(position.timestamp(r));
      q.nextOffset = offset + 1;
    }
    // Control records and aborted data move the position without a record.
    q.nextOffset = Math.max(q.nextOffset, fetchedTo);
    if (q.head === q.records.length) q.committable = Math.max(q.committable, q.nextOffset);
    q.endOffset = Math.max(endOffset, q.nextOffset);
  }

  /** A log end learned at time `at` (asked of the broker), for a partition that `unconfirmed` named. */
  confirm(topic: string, partition: number, endOffset: number, at: number): void {
    const q = this.queue(topic, partition);
    q.endOffset = Math.max(q.endOffset, endOffset, q.nextOffset);
    q.knownAt = Math.max(q.knownAt, at);
  }

  /** Empty partitions whose known end is older than the newest buffered records: what holds the task. */
  unconfirmed(): { topic: string; partition: number }[] {
    const newest = this.newestArrival();
    return this.queues
      .filter((q) => q.head === q.records.length && q.knownAt < newest)
      .map((q) => ({ topic: q.topic, partition: q.partition }));
  }

  /** Where the record `take()` returned last comes from, and its offset and timestamp. */
  takenTopic = '';
  takenPartition = -1;
  takenOffset = -1;
  takenTimestamp = -1;

  /** The next record to process, or null when none may be processed yet (see the module comment). */
  next(): { topic: string; partition: number; record: R } | null {
    const record = this.take();
    return record === null ? null : { topic: this.takenTopic, partition: this.takenPartition, record };
  }

  /** As next(), without an object per record: see takenTopic, takenPartition, takenOffset, takenTimestamp. */
  take(): R | null {
    let best: PartitionQueue<R> | null = null;
    const newest = this.newestArrival();
    for (const q of this.queues) {
      if (q.head === q.records.length) {
        if (q.nextOffset < q.endOffset) return null; // records on the broker, not fetched yet: wait for them
        if (q.knownAt < newest) return null; // its end may have moved since: confirm first
        continue;
      }
      if (best === null || (q.timestamps[q.head] as number) < (best.timestamps[best.head] as number)) best = q;
    }
    if (best === null) return null;
    const at = best.head;
    const record = best.records[at] as R;
    this.takenTopic = best.topic;
    this.takenPartition = best.partition;
    this.takenOffset = best.offsets[at] as number;
    this.takenTimestamp = best.timestamps[at] as number;
    best.head = at + 1;
    best.committable = best.head === best.records.length ? best.nextOffset : this.takenOffset + 1;
    if (best.head === best.records.length) {
      best.records.length = 0;
      best.offsets.length = 0;
      best.timestamps.length = 0;
      best.head = 0;
    }
    return record;
  }

  /** Per partition, the next offset to consume once what was processed is committed. */
  committableOffsets(): { topic: string; partition: number; offset: number }[] {
    return this.queues.map((q) => ({ topic: q.topic, partition: q.partition, offset: q.committable }));
  }

  /** Records fetched but not processed yet. */
  get buffered(): number {
    return this.queues.reduce((n, q) => n + q.records.length - q.head, 0);
  }

  /** When the newest buffered records were fetched (-Infinity when none are buffered). */
  newestArrival(): number {
    let newest = Number.NEGATIVE_INFINITY;
    for (const q of this.queues) if (q.head < q.records.length && q.arrivedAt > newest) newest = q.arrivedAt;
    return newest;
  }

  private queue(topic: string, partition: number): PartitionQueue<R> {
    const q = this.queues.find((x) => x.topic === topic && x.partition === partition);
    if (q === undefined) throw new Error(`${topic}-${partition} is not an input of this task`);
    return q;
  }
}
