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
 */
import type { Headers } from '../processor/record.ts';

export interface BufferedRecord {
  readonly offset: number;
  readonly timestamp: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Headers;
}

interface PartitionQueue {
  readonly topic: string;
  readonly partition: number;
  readonly records: BufferedRecord[];
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

export class PartitionGroup {
  private readonly queues: PartitionQueue[];

  /**
   * `positions` are the task's partitions, in order, with the offset it
   * starts processing from and the end of each log when it starts.
   */
  constructor(
    positions: readonly { topic: string; partition: number; offset: number; endOffset: number }[],
    knownAt: number,
  ) {
    this.queues = positions.map((p) => ({
      topic: p.topic,
      partition: p.partition,
      records: [],
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
    records: readonly BufferedRecord[],
    fetchedTo: number,
    endOffset: number,
    sentAt: number,
    receivedAt: number,
  ): void {
    const q = this.queue(topic, partition);
    q.knownAt = Math.max(q.knownAt, sentAt);
    if (records.length > 0) q.arrivedAt = Math.max(q.arrivedAt, receivedAt);
    for (const r of records) {
      if (r.offset < q.nextOffset) continue;
      q.records.push(r);
      q.nextOffset = r.offset + 1;
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

  /** The next record to process, or null when none may be processed yet (see the module comment). */
  next(): { topic: string; partition: number; record: BufferedRecord } | null {
    let best: PartitionQueue | null = null;
    const newest = this.newestArrival();
    for (const q of this.queues) {
      const head = q.records[q.head];
      if (head === undefined) {
        if (q.nextOffset < q.endOffset) return null; // records on the broker, not fetched yet: wait for them
        if (q.knownAt < newest) return null; // its end may have moved since: confirm first
        continue;
      }
      if (best === null || head.timestamp < (best.records[best.head] as BufferedRecord).timestamp) best = q;
    }
    if (best === null) return null;
    const record = best.records[best.head] as BufferedRecord;
    best.head++;
    best.committable = best.head === best.records.length ? best.nextOffset : record.offset + 1;
    if (best.head === best.records.length) {
      best.records.length = 0;
      best.head = 0;
    }
    return { topic: best.topic, partition: best.partition, record };
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

  private queue(topic: string, partition: number): PartitionQueue {
    const q = this.queues.find((x) => x.topic === topic && x.partition === partition);
    if (q === undefined) throw new Error(`${topic}-${partition} is not an input of this task`);
    return q;
  }
}
