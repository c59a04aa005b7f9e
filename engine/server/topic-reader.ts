/**
 * Reads one topic for transient queries, read_committed, from its start or
 * from the end offsets taken when the reader starts ("latest": every record
 * written after start() returned is delivered, none before). kafkajs cannot
 * assign partitions by hand, so each reader is a consumer of its own
 * throwaway group that never commits; the group is deleted when it stops.
 */
import type { Admin, Consumer, Kafka, KafkaMessage } from 'kafkajs';

/** The most records of the starting backlog held back to be put in partition order. */
const BACKLOG_LIMIT = 10_000;

export interface TopicReaderOptions {
  readonly kafka: Kafka;
  readonly admin: Admin;
  readonly topic: string;
  readonly groupId: string;
  readonly from: 'earliest' | 'latest';
  /** From earliest: deliver nothing past the end offsets taken at start (a scan of what is there now). */
  readonly toEnd?: boolean;
  /** Called with each fetched batch of one partition, in offset order. */
  readonly onBatch: (partition: number, messages: readonly KafkaMessage[]) => void;
  readonly onError?: (error: Error) => void;
}

export class TopicReader {
  private consumer: Consumer | null = null;
  private readonly starts = new Map<number, number>();
  private readonly remaining = new Map<number, number>();
  /** From earliest: each partition's end offset when the reader started (partitions with records only). */
  readonly endOffsets = new Map<number, number>();
  private markCaughtUp!: () => void;
  /** Resolves once the reader has reached the end offsets taken at start (at once from latest). */
  readonly caughtUp = new Promise<void>((resolve) => (this.markCaughtUp = resolve));
  private stopped = false;
  private readonly backlog = new Map<number, KafkaMessage[]>();
  private backlogSize = 0;
  /** The topic's partition count, once the reader runs. */
  partitionCount = 0;

  private constructor(private readonly options: TopicReaderOptions) {}

  static async start(options: TopicReaderOptions): Promise<TopicReader> {
    const reader = new TopicReader(options);
    await reader.run();
    return reader;
  }

  private async run(): Promise<void> {
    const { kafka, admin, topic, groupId, from } = this.options;
    const offsets = await admin.fetchTopicOffsets(topic);
    this.partitionCount = offsets.length;
    for (const p of offsets) {
      if (from === 'latest') this.starts.set(p.partition, Number(p.high));
      else if (Number(p.high) > Number(p.low)) {
        this.remaining.set(p.partition, Number(p.high));
        this.endOffsets.set(p.partition, Number(p.high));
      }
    }
    if (this.remaining.size === 0) this.markCaughtUp();
    const consumer = kafka.consumer({
      groupId,
      readUncommitted: false,
      maxWaitTimeInMs: 100,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
    });
    this.consumer = consumer;
    // Batches of only control records never reach eachBatch; this event still reports how far the reader got.
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) =>
      this.progress(payload.partition, payload.lastOffset),
    );
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!this.stopped) this.options.onError?.(payload.error);
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: from === 'earliest' });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const start = this.starts.get(batch.partition) ?? 0;
        let messages = start > 0 ? batch.messages.filter((m) => Number(m.offset) >= start) : batch.messages;
        if (this.options.toEnd) {
          const end = this.endOffsets.get(batch.partition) ?? 0;
          messages = messages.filter((m) => Number(m.offset) < end);
        }
        if (messages.length === 0 || this.stopped) return;
        if (this.remaining.size > 0) this.buffer(batch.partition, messages);
        else this.options.onBatch(batch.partition, messages);
      },
    });
    if (from === 'latest') {
      for (const [partition, offset] of this.starts) consumer.seek({ topic, partition, offset: String(offset) });
    }
  }

  /**
   * The records there were when the reader started go out partition by
   * partition, lowest first, as a Kafka Streams thread processes a backlog
   * task by task (ksqlDB's push queries from earliest answer in that order);
   * at most BACKLOG_LIMIT records wait.
   */
  private buffer(partition: number, messages: readonly KafkaMessage[]): void {
    const list = this.backlog.get(partition) ?? [];
    this.backlog.set(partition, list);
    list.push(...messages);
    this.backlogSize += messages.length;
    if (this.backlogSize >= BACKLOG_LIMIT) this.flushBacklog();
  }

  private flushBacklog(): void {
    const partitions = [...this.backlog.keys()].sort((a, b) => a - b);
    const batches = partitions.map((p) => [p, this.backlog.get(p) as KafkaMessage[]] as const);
    this.backlog.clear();
    this.backlogSize = 0;
    for (const [partition, messages] of batches) if (!this.stopped) this.options.onBatch(partition, messages);
  }

  private progress(partition: number, lastOffset: string): void {
    const end = this.remaining.get(partition);
    if (end !== undefined && Number(lastOffset) + 1 >= end) {
      this.remaining.delete(partition);
      if (this.remaining.size === 0) {
        this.flushBacklog();
        this.markCaughtUp();
      }
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.markCaughtUp();
    await this.consumer?.disconnect().catch(() => {});
    await this.options.admin.deleteGroups([this.options.groupId]).catch(() => {
      // Best effort: an empty group without offsets expires by itself.
    });
  }
}
