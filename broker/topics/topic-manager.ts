/**
 * The topics of the broker: creating, deleting and growing them, their
 * configs, and the partition logs on disk (`<dataDir>/<topic>-<partition>/`).
 * Topic metadata persists in `topics.json` (MetadataStore); each change is
 * written before it is acknowledged.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../../logging/index.ts';
import { type LogConfig, LogConfigError, logConfigFromTopicConfigs, PartitionLog } from '../log/index.ts';
import { ERROR_CODES } from '../protocol/index.ts';
import { MetadataStore, type TopicRecord, topicNameProblem } from './metadata-store.ts';
import { Partition } from './partition.ts';
import { describeTopicConfigs, isKnownTopicConfig } from './topic-configs.ts';

/** A refused topic operation, with the Kafka error code to answer. */
export class TopicError extends Error {
  constructor(
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'TopicError';
  }
}

export interface Topic {
  readonly record: TopicRecord;
  readonly partitions: Partition[];
  readonly isInternal: boolean;
}

export interface TopicManagerOptions {
  dataDir: string;
  defaultPartitions: number;
  logger: Logger;
  /** How often retention and compaction run (Kafka: log.retention.check.interval.ms). */
  cleanupIntervalMs?: number;
  /** Broker-level defaults for topic configs (Kafka's log.retention.ms and the like), under what a topic sets. */
  topicDefaults?: Readonly<Record<string, string>>;
  now?: () => number;
}

export class TopicManager {
  private readonly topics = new Map<string, Topic>();
  private readonly store: MetadataStore;
  private cleanupTimer?: NodeJS.Timeout;
  private cleaning = false;
  /** Metadata changes run one at a time so that topics.json never loses one. */
  private changes: Promise<unknown> = Promise.resolve();

  private constructor(private readonly options: TopicManagerOptions) {
    this.store = new MetadataStore(options.dataDir);
  }

  static async open(options: TopicManagerOptions): Promise<TopicManager> {
    const manager = new TopicManager(options);
    for (const record of manager.store.loadTopics()) {
      manager.topics.set(record.name, await manager.openTopic(record));
    }
    const interval = options.cleanupIntervalMs ?? 30_000;
    manager.cleanupTimer = setInterval(() => void manager.cleanup(), interval);
    manager.cleanupTimer.unref();
    return manager;
  }

  identity(nodeId: number) {
    return this.store.identity(nodeId);
  }

  /** Validates topic configs (unknown names and bad values are INVALID_CONFIG) over the broker's defaults. */
  private logConfigFor(configs: Record<string, string>): LogConfig {
    const unknown = Object.keys(configs).filter((name) => !isKnownTopicConfig(name));
    if (unknown.length > 0) {
      throw new TopicError(ERROR_CODES.INVALID_CONFIG, `Unknown topic config name: ${unknown.join(', ')}`);
    }
    try {
      return logConfigFromTopicConfigs({ ...this.options.topicDefaults, ...configs });
    } catch (error) {
      if (error instanceof LogConfigError) throw new TopicError(ERROR_CODES.INVALID_CONFIG, error.message);
      throw error;
    }
  }

  get(name: string): Topic | undefined {
    return this.topics.get(name);
  }

  partition(topic: string, index: number): Partition | undefined {
    return this.topics.get(topic)?.partitions[index];
  }

  list(): Topic[] {
    return [...this.topics.values()];
  }

  /** Checks a create request and, unless validateOnly, creates the topic. */
  create(
    name: string,
    request: { partitions: number; replicationFactor: number; configs: Record<string, string>; validateOnly?: boolean },
  ): Promise<Topic | undefined> {
    return this.serialized(async () => {
      const problem = topicNameProblem(name);
      if (problem) throw new TopicError(ERROR_CODES.INVALID_TOPIC_EXCEPTION, problem);
      if (this.topics.has(name))
        throw new TopicError(ERROR_CODES.TOPIC_ALREADY_EXISTS, `Topic '${name}' already exists.`);
      const partitions = request.partitions === -1 ? this.options.defaultPartitions : request.partitions;
      if (!Number.isInteger(partitions) || partitions < 1) {
        throw new TopicError(
          ERROR_CODES.INVALID_PARTITIONS,
          `Number of partitions must be larger than 0 (got ${partitions}).`,
        );
      }
      if (request.replicationFactor !== -1 && request.replicationFactor !== 1) {
        throw new TopicError(
          ERROR_CODES.INVALID_REPLICATION_FACTOR,
          `Replication factor: ${request.replicationFactor} larger than available brokers: 1.`,
        );
      }
      this.logConfigFor(request.configs);
      if (request.validateOnly) return undefined;
      const record: TopicRecord = {
        name,
        topicId: MetadataStore.newTopicId(),
        partitions,
        configs: request.configs,
        createdAt: this.now(),
      };
      const topic = await this.openTopic(record);
      this.topics.set(name, topic);
      this.save();
      this.options.logger.info({ topic: name, partitions, configs: request.configs }, 'topic created');
      return topic;
    });
  }

  delete(name: string): Promise<void> {
    return this.serialized(async () => {
      const topic = this.topics.get(name);
      if (!topic) throw new TopicError(ERROR_CODES.UNKNOWN_TOPIC_OR_PARTITION, `Topic '${name}' does not exist.`);
      this.topics.delete(name);
      this.save();
      await Promise.all(topic.partitions.map((p) => p.log.delete()));
      this.options.logger.info({ topic: name }, 'topic deleted');
    });
  }

  /** Grows a topic to `count` partitions (CreatePartitions). */
  createPartitions(name: string, count: number, validateOnly = false): Promise<void> {
    return this.serialized(async () => {
      const topic = this.topics.get(name);
      if (!topic) throw new TopicError(ERROR_CODES.UNKNOWN_TOPIC_OR_PARTITION, `Topic '${name}' does not exist.`);
      const current = topic.partitions.length;
      if (count <= current) {
        throw new TopicError(
          ERROR_CODES.INVALID_PARTITIONS,
          `Topic currently has ${current} partitions, which is higher than the requested ${count}.`,
        );
      }
      if (validateOnly) return;
      const logConfig = this.logConfigFor(topic.record.configs);
      for (let index = current; index < count; index++) {
        topic.partitions.push(await this.openPartition(name, index, logConfig));
      }
      topic.record.partitions = count;
      this.save();
    });
  }

  /** Every config of a topic, defaults included (DescribeConfigs). */
  describeConfigs(name: string) {
    const topic = this.topics.get(name);
    if (!topic) throw new TopicError(ERROR_CODES.UNKNOWN_TOPIC_OR_PARTITION, `Topic '${name}' does not exist.`);
    return describeTopicConfigs(topic.record.configs, this.options.topicDefaults);
  }

  /** Retention and compaction of every partition; run periodically. */
  async cleanup(): Promise<void> {
    if (this.cleaning) return;
    this.cleaning = true;
    try {
      for (const topic of this.topics.values()) {
        for (const partition of topic.partitions) {
          try {
            await partition.log.cleanup();
          } catch (error) {
            this.options.logger.error(
              { topic: topic.record.name, partition: partition.index, err: error },
              'cleanup failed',
            );
          }
        }
      }
    } finally {
      this.cleaning = false;
    }
  }

  /** Wakes every waiting fetch (on shutdown). */
  wakeAll(): void {
    for (const topic of this.topics.values()) for (const partition of topic.partitions) partition.wake();
  }

  async close(): Promise<void> {
    clearInterval(this.cleanupTimer);
    await this.changes;
    await Promise.all(this.list().flatMap((t) => t.partitions.map((p) => p.log.close())));
  }

  private async openTopic(record: TopicRecord): Promise<Topic> {
    const logConfig = this.logConfigFor(record.configs);
    const partitions: Partition[] = [];
    for (let index = 0; index < record.partitions; index++) {
      partitions.push(await this.openPartition(record.name, index, logConfig));
    }
    return { record, partitions, isInternal: record.name.startsWith('__') };
  }

  private async openPartition(topic: string, index: number, config: LogConfig): Promise<Partition> {
    const dir = path.join(this.options.dataDir, `${topic}-${index}`);
    fs.mkdirSync(dir, { recursive: true });
    const log = await PartitionLog.open(dir, config, this.options.now ? { now: this.options.now } : {});
    if (log.recoveredTail) {
      this.options.logger.warn({ topic, partition: index, recovered: log.recoveredTail }, 'recovered a torn log tail');
    }
    return new Partition(topic, index, log);
  }

  private save(): void {
    this.store.saveTopics(this.list().map((t) => t.record));
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private serialized<T>(change: () => Promise<T>): Promise<T> {
    const result = this.changes.then(change, change);
    this.changes = result.catch(() => undefined);
    return result;
  }
}
