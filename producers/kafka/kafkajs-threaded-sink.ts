/**
 * The kafkajs RecordSink: a kafkajs idempotent producer in a worker thread
 * (kafkajs-sink-worker.ts), or several, each owning a share of the
 * partitions.
 *
 * kafkajs encodes every record in JavaScript (its record objects, varints,
 * CRC-32C), several microseconds a record: in the generating thread it was
 * the bottleneck of a backfill. Here the calling thread only packs records
 * into a buffer (record-packing.ts) and hands it over, and generates the
 * next ones while the thread encodes and sends. With several threads,
 * partition p belongs to thread p % threads, so each partition has one
 * idempotent producer writing it in order: the guarantees are a single
 * producer's (acks=all, no duplicates, order per partition, and after a
 * stop each partition holds a prefix of its records).
 */
import { Worker } from 'node:worker_threads';
import { type KafkaClientConfig, UserError } from '../../config/index.ts';
import type { Logger } from '../../logging/index.ts';
import { keyPartition } from '../../topology/runtime/kafkajs-messages.ts';
import { KafkajsAdmin } from './kafkajs-admin.ts';
import type { FromSinkWorker, SinkWorkerData, ToSinkWorker } from './kafkajs-sink-worker.ts';
import { RecordPacker } from './record-packing.ts';
import type { OutgoingRecord, RecordSink } from './record-sink.ts';

/**
 * Producer threads by default. On 2 cores one is best: it takes all of
 * kafkajs's work off the generating thread, and a second only competes with
 * it and the broker for the same cores (BENCH_KAFKAJS_THREADS in
 * bench/produce.ts compares them).
 */
export const DEFAULT_SINK_THREADS = 1;
/** Writes a thread may have waiting beyond the one it is sending: enough to never leave it idle. */
const MAX_QUEUED_WRITES = 2;

export interface ThreadedSinkOptions {
  threads?: number;
}

export class KafkajsThreadedSink implements RecordSink {
  private failure: Error | null = null;
  private readonly partitionCounts = new Map<string, number>();
  private readonly unkeyed = new Map<string, number>();
  private readonly packers: RecordPacker[];

  private constructor(
    private readonly threads: readonly SinkThread[],
    private readonly config: KafkaClientConfig,
    private readonly logger: Logger,
  ) {
    this.packers = threads.map(() => new RecordPacker());
    for (const thread of threads) thread.onFailure = (error) => (this.failure ??= error);
  }

  static async connect(
    config: KafkaClientConfig,
    logger: Logger,
    options: ThreadedSinkOptions = {},
  ): Promise<KafkajsThreadedSink> {
    const count = Math.max(1, Math.floor(options.threads ?? DEFAULT_SINK_THREADS));
    const threads = Array.from({ length: count }, () => new SinkThread(config, logger));
    const outcomes = await Promise.allSettled(threads.map((thread) => thread.connected));
    const refused = outcomes.find((outcome) => outcome.status === 'rejected');
    if (refused) {
      await Promise.all(threads.map((thread) => thread.close().catch(() => {})));
      throw (refused as PromiseRejectedResult).reason;
    }
    return new KafkajsThreadedSink(threads, config, logger);
  }

  async write(topic: string, records: readonly OutgoingRecord[]): Promise<void> {
    if (this.failure) throw this.failure;
    const threads = this.threads.length;
    const needsPlacing = threads > 1 && records.some((record) => record.partition === undefined);
    const partitions = needsPlacing ? await this.partitionCount(topic) : 0;
    for (const record of records) {
      const placed = needsPlacing && record.partition === undefined ? this.place(topic, record, partitions) : record;
      // With one thread, kafkajs's partitioner (the same murmur2) places what has no partition.
      (this.packers[(placed.partition ?? 0) % threads] as RecordPacker).add(placed);
    }
    for (const [i, thread] of this.threads.entries()) {
      const packer = this.packers[i] as RecordPacker;
      if (packer.count > 0) thread.write(topic, packer.take());
    }
    await Promise.all(this.threads.map((thread) => thread.room()));
    if (this.failure) throw this.failure;
  }

  async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    await Promise.all(this.threads.map((thread) => thread.flush()));
    if (this.failure) throw this.failure;
  }

  async close(): Promise<void> {
    const earlier = this.failure;
    // Each thread flushes before it disconnects, unless a send failed.
    await Promise.all(this.threads.map((thread) => thread.close()));
    // A failure already reported by write or flush is not reported again (callers close in `finally`).
    if (this.failure && !earlier) throw this.failure;
  }

  /** A partition for a record that has none, as kafkajs's DefaultPartitioner would choose (murmur2, or round-robin). */
  private place(topic: string, record: OutgoingRecord, partitions: number): OutgoingRecord {
    const { key, value, timestamp } = record;
    if (key !== null) return { key, value, timestamp, partition: keyPartition(key, partitions) };
    const next = this.unkeyed.get(topic) ?? 0;
    this.unkeyed.set(topic, next + 1);
    return { key, value, timestamp, partition: next % partitions };
  }

  private async partitionCount(topic: string): Promise<number> {
    const known = this.partitionCounts.get(topic);
    if (known !== undefined) return known;
    const admin = await KafkajsAdmin.connect(this.config, this.logger);
    try {
      const count = (await admin.partitionCounts([topic])).get(topic);
      if (count === undefined) throw new UserError(`Cannot produce to topic ${topic}: it does not exist.`);
      this.partitionCounts.set(topic, count);
      return count;
    } finally {
      await admin.close();
    }
  }
}

/**
 * Worker threads do not inherit tsx's loader hooks: each first registers
 * tsx, then loads the worker module (as engine/conformance/pool.ts does).
 */
function workerBootstrap(): string {
  const tsx = import.meta.resolve('tsx/esm/api');
  const worker = new URL('./kafkajs-sink-worker.ts', import.meta.url).href;
  return `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(worker)}); });`;
}

/** A promise with its settling functions outside it. */
function settleable<T = void>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: Error) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}

/** One producer thread, seen from the calling thread: its queue of writes, pending flushes, and failure. */
class SinkThread {
  onFailure: (error: Error) => void = () => {};
  private readonly worker: Worker;
  private readonly connecting = settleable();
  private readonly closing = settleable();
  private readonly exited = settleable();
  private failure: Error | null = null;
  private queued = 0;
  private waiting: (() => void)[] = [];
  private readonly flushes = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  private nextFlush = 0;
  private gone = false;
  private closedOnRequest = false;

  constructor(config: KafkaClientConfig, logger: Logger) {
    const workerData: SinkWorkerData = { config };
    this.worker = new Worker(workerBootstrap(), { eval: true, workerData });
    // Settled later or never; a rejection nobody awaits is not an error here.
    this.connecting.promise.catch(() => {});
    this.worker.on('message', (message: FromSinkWorker) => {
      switch (message.type) {
        case 'connected':
          this.connecting.resolve();
          break;
        case 'taken':
          this.queued--;
          this.wake();
          break;
        case 'flushed':
          this.flushes.get(message.id)?.resolve();
          this.flushes.delete(message.id);
          break;
        case 'failed':
          this.fail(message.userError ? new UserError(message.message) : new Error(message.message));
          break;
        case 'log':
          logger[message.level]({ ...message.details, producerThread: this.worker.threadId }, message.message);
          break;
        case 'closed':
          this.closedOnRequest = true;
          this.closing.resolve();
          break;
      }
    });
    this.worker.on('error', (error) => this.fail(error));
    this.worker.once('exit', () => {
      this.gone = true;
      this.fail(new Error('a kafkajs producer thread stopped unexpectedly'));
      this.closing.resolve();
      this.exited.resolve();
    });
  }

  get connected(): Promise<void> {
    return this.connecting.promise;
  }

  write(topic: string, packed: ArrayBuffer): void {
    this.queued++;
    this.worker.postMessage({ type: 'write', topic, packed } satisfies ToSinkWorker, [packed]);
  }

  /** Resolves once the thread has room for another write (or has failed). */
  room(): Promise<void> {
    if (this.queued <= MAX_QUEUED_WRITES || this.failure) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  flush(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextFlush++;
    return new Promise((resolve, reject) => {
      this.flushes.set(id, { resolve, reject });
      this.worker.postMessage({ type: 'flush', id } satisfies ToSinkWorker);
    });
  }

  /** Flushes (unless a send failed), disconnects, and ends the thread. */
  async close(): Promise<void> {
    if (!this.gone) this.worker.postMessage({ type: 'close' } satisfies ToSinkWorker);
    await this.closing.promise;
    await this.worker.terminate();
    await this.exited.promise;
  }

  private fail(error: Error): void {
    this.connecting.reject(error);
    // Once closed on request, the thread's exit is no failure.
    if (this.failure || (this.gone && this.closedOnRequest)) return;
    this.failure = error;
    this.onFailure(error);
    this.wake();
    for (const { reject } of this.flushes.values()) reject(error);
    this.flushes.clear();
  }

  private wake(): void {
    if (this.queued > MAX_QUEUED_WRITES && !this.failure) return;
    for (const resolve of this.waiting.splice(0)) resolve();
  }
}
