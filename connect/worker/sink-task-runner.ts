/**
 * Runs one sink task: a kafkajs consumer in the group `connect-<connector>`
 * that converts each fetched batch, hands it to the task, and commits the
 * offsets only after the task returned (the rows are committed in
 * PostgreSQL). A record the converters cannot read goes to the dead letter
 * queue when errors.tolerance=all, else fails the task. With topics.regex,
 * the matching topics are listed again every `topicRefreshMs` (Kafka's
 * metadata.max.age.ms, 5 minutes): a new one restarts the consumer on the
 * new list, as Connect's consumer picks new topics up at its next metadata
 * refresh.
 */
import kafkajs, { type Consumer, type Kafka, type KafkaMessage } from 'kafkajs';
import type { Logger } from '../../logging/index.ts';
import type { Converter, SinkRecord } from '../converters/index.ts';
import type { DeadLetterQueue } from './dead-letter-queue.ts';

export interface SinkTask {
  put(records: SinkRecord[], keepAlive: () => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

export interface SinkTaskRunnerOptions {
  connector: string;
  taskId: number;
  kafka: Kafka;
  topics?: string[];
  topicsRegex?: RegExp;
  keyConverter: Converter;
  valueConverter: Converter;
  task: SinkTask;
  deadLetterQueue?: DeadLetterQueue;
  /** errors.tolerance=all */
  tolerateErrors: boolean;
  logger: Logger;
  /** Called once when the task stops on an error it cannot get past. */
  onFailure: (error: Error) => void;
  /** How often topics.regex is matched again (default 300,000 ms). */
  topicRefreshMs?: number;
}

const TOPIC_REFRESH_MS = 300_000;

export class SinkTaskRunner {
  private consumer: Consumer | undefined;
  private failed = false;
  private refreshTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: SinkTaskRunnerOptions) {}

  async start(): Promise<void> {
    const { kafka, connector } = this.options;
    const consumer = kafka.consumer({
      groupId: `connect-${connector}`,
      // A member learns of a rebalance only when its fetch returns.
      maxWaitTimeInMs: 200,
      // A worker killed without leaving holds its partitions until this expires.
      sessionTimeout: 10_000,
      heartbeatInterval: 3_000,
      // kafkajs asks here only about Kafka errors (the task's own fail it in eachBatch). Like Connect's
      // consumer, which retries a broker that went away for ever, the task restarts its consumer, which
      // rejoins the group and resumes from the committed offsets.
      retry: {
        retries: 5,
        restartOnFailure: async (error) => {
          if (this.failed) return false;
          this.options.logger.warn({ err: error }, 'Kafka consumer crashed; restarting it');
          return true;
        },
      },
    });
    this.consumer = consumer;
    // A crash kafkajs does not restart from (an error it deems permanent) would leave a RUNNING task that reads nothing.
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) this.fail(payload.error);
    });
    await consumer.connect();
    const topics = this.options.topicsRegex ? await this.matchingTopics(this.options.topicsRegex) : this.options.topics;
    // Connect's sink consumers start at the earliest offset when the group has none.
    await consumer.subscribe({ topics: topics ?? [], fromBeginning: true });
    if (this.options.topicsRegex) this.watchForNewTopics(this.options.topicsRegex, new Set(topics));
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: true,
      partitionsConsumedConcurrently: 1,
      eachBatch: async ({ batch, heartbeat, isRunning, isStale }) => {
        if (this.failed || !isRunning() || isStale() || batch.messages.length === 0) return;
        try {
          const records = await this.convert(batch.topic, batch.partition, batch.messages);
          await this.options.task.put(records, heartbeat);
          // Past the batch's last offset, a transaction marker included (else the group's lag stays at 1).
          const next = Number(batch.lastOffset()) + 1;
          await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: String(next) }]);
          this.options.deadLetterQueue?.forget();
        } catch (error) {
          // Kafka away (a commit or heartbeat that cannot reach the broker) is kafkajs's to retry: it restarts
          // the consumer, which resumes from the committed offsets and writes the batch again (upserts).
          if (error instanceof kafkajs.KafkaJSError) throw error;
          // The task's own failure: not rethrown, or kafkajs would retry and restart the consumer. Offsets of
          // this batch are never committed (autoCommit is off), so a restarted task reads it again.
          this.fail(error as Error);
        }
      },
    });
  }

  private async matchingTopics(regex: RegExp): Promise<string[]> {
    const admin = this.options.kafka.admin();
    await admin.connect();
    try {
      return (await admin.listTopics()).filter((topic) => regex.test(topic)).sort();
    } finally {
      await admin.disconnect();
    }
  }

  private watchForNewTopics(regex: RegExp, subscribed: ReadonlySet<string>): void {
    clearInterval(this.refreshTimer);
    this.refreshTimer = setInterval(() => {
      void (async () => {
        const now = await this.matchingTopics(regex);
        if (this.failed || now.every((topic) => subscribed.has(topic))) return;
        clearInterval(this.refreshTimer);
        this.options.logger.info({ topics: now }, 'new topics match topics.regex; resubscribing');
        await this.consumer?.disconnect();
        if (!this.failed) await this.start();
      })().catch((error: Error) => this.options.logger.warn({ err: error }, 'cannot match topics.regex again'));
    }, this.options.topicRefreshMs ?? TOPIC_REFRESH_MS);
    this.refreshTimer.unref();
  }

  private fail(error: Error): void {
    if (this.failed) return;
    this.failed = true;
    clearInterval(this.refreshTimer);
    this.options.logger.error({ err: error }, 'task failed');
    this.options.onFailure(error);
    // Stop outside eachBatch: stopping from inside it waits for itself.
    setImmediate(() => void this.consumer?.disconnect().catch(() => undefined));
  }

  private async convert(topic: string, partition: number, messages: KafkaMessage[]): Promise<SinkRecord[]> {
    const records: SinkRecord[] = [];
    const { keyConverter, valueConverter } = this.options;
    for (const message of messages) {
      this.options.deadLetterQueue?.remember(topic, partition, message);
      try {
        // Converters answer synchronously once they know a schema: awaiting only real promises saves two per record.
        const k = keyConverter.toConnectData(topic, message.key);
        const key = k instanceof Promise ? await k : k;
        const v = valueConverter.toConnectData(topic, message.value);
        const value = v instanceof Promise ? await v : v;
        records.push({
          topic,
          partition,
          offset: Number(message.offset),
          timestamp: Number(message.timestamp),
          keySchema: key.schema,
          key: key.value,
          valueSchema: value.schema,
          value: value.value,
        });
      } catch (error) {
        const reason = error as Error;
        if (!this.options.tolerateErrors) {
          throw new Error(
            `Error converting the record at ${topic}-${partition} offset ${message.offset}: ${reason.message}. Tolerance exceeded in error handler (errors.tolerance=none); set errors.tolerance=all with errors.deadletterqueue.topic.name to skip such records.`,
            { cause: error },
          );
        }
        await this.options.deadLetterQueue?.send(
          { topic, partition, offset: Number(message.offset), message },
          reason,
          'VALUE_CONVERTER',
        );
        this.options.logger.warn(
          { topic, partition, offset: message.offset, err: reason },
          'record skipped: cannot convert',
        );
      }
    }
    return records;
  }

  async stop(): Promise<void> {
    this.failed = true;
    clearInterval(this.refreshTimer);
    await this.consumer?.disconnect().catch(() => undefined);
    await this.options.task.stop();
  }
}
