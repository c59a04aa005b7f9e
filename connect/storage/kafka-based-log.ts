/**
 * A compacted one-partition topic used as a key-value store, as Kafka
 * Connect's KafkaBasedLog and the schema registry's KafkaStore use theirs:
 * on start, read the topic from the beginning to its end; after that, every
 * write is produced (acks=all) before it is applied in memory, so what a
 * client was told is stored survives a restart. One process writes each log.
 */
import type RdKafka from '@confluentinc/kafka-javascript';
import type { Producer } from 'kafkajs';
import type { KafkaClientConfig } from '../../config/index.ts';
import type { Logger } from '../../logging/index.ts';
import { assignedConsumer, call, kafkajsClient } from './kafka-clients.ts';

export interface LogRecord {
  key: string;
  /** null is a tombstone: the key is deleted. */
  value: string | null;
  offset: number;
}

export interface KafkaBasedLogOptions {
  topic: string;
  kafka: KafkaClientConfig;
  logger: Logger;
  /** Extra topic configs when the log creates its topic. */
  topicConfigs?: Record<string, string>;
}

export class KafkaBasedLog {
  private producer: Producer | undefined;

  constructor(private readonly options: KafkaBasedLogOptions) {}

  get topic(): string {
    return this.options.topic;
  }

  /** Creates the topic (compacted, one partition) when missing, and readies the writer. */
  async start(): Promise<void> {
    const kafka = kafkajsClient(this.options.kafka, this.options.logger);
    const admin = kafka.admin();
    await admin.connect();
    try {
      const existing = await admin.listTopics();
      if (!existing.includes(this.topic)) {
        await admin.createTopics({
          waitForLeaders: true,
          topics: [
            {
              topic: this.topic,
              numPartitions: 1,
              configEntries: Object.entries({ 'cleanup.policy': 'compact', ...this.options.topicConfigs }).map(
                ([name, value]) => ({ name, value }),
              ),
            },
          ],
        });
      }
    } finally {
      await admin.disconnect();
    }
    this.producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
    await this.producer.connect();
  }

  /** Every record from the beginning to the end as it is now, in offset order. */
  async readToEnd(): Promise<LogRecord[]> {
    const consumer = assignedConsumer(this.options.kafka, this.options.logger);
    await call((done) => consumer.connect({ timeout: 10_000 }, (error) => done(error, undefined)));
    try {
      const { highOffset } = await call<RdKafka.WatermarkOffsets>((done) =>
        consumer.queryWatermarkOffsets(this.topic, 0, 10_000, done),
      );
      const records: LogRecord[] = [];
      if (highOffset <= 0) return records;
      consumer.assign([{ topic: this.topic, partition: 0, offset: 0 }]);
      let next = 0;
      while (next < highOffset) {
        const messages = await call<RdKafka.Message[]>((done) => consumer.consume(500, done));
        for (const message of messages) {
          next = message.offset + 1;
          records.push({
            key: message.key ? message.key.toString() : '',
            value: message.value ? message.value.toString() : null,
            offset: message.offset,
          });
        }
        if (messages.length === 0) {
          // A compacted tail (removed tombstones) leaves no record at highOffset - 1.
          const position = consumer.position([{ topic: this.topic, partition: 0 }])[0]?.offset;
          if (typeof position === 'number' && position >= highOffset) break;
        }
      }
      return records;
    } finally {
      await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
    }
  }

  async write(key: string, value: string | null): Promise<void> {
    if (!this.producer) throw new Error(`KafkaBasedLog ${this.topic}: write before start()`);
    await this.producer.send({ topic: this.topic, acks: -1, messages: [{ key, value, partition: 0 }] });
  }

  async stop(): Promise<void> {
    await this.producer?.disconnect();
    this.producer = undefined;
  }
}
