/**
 * The command topic: every statement that changes the metastore, in the
 * order it was accepted, as ksqlDB keeps it
 * (`_confluent-ksql-<service id>_command_topic`, one partition, kept forever).
 * A server that starts reads it from the beginning to its end and executes
 * each command again, which rebuilds the metastore with the same query ids;
 * the queries then resume from their own committed offsets. Afterwards it
 * follows the topic, so that a command another server of the same service id
 * records runs here too: every server of a ksqlDB cluster runs every query,
 * and Kafka's consumer groups share each query's partitions among them.
 *
 * Record: key = the command id (`stream/VOTES/create`), value =
 * `{"statement", "streamsProperties", "originalProperties"}` (ksqlDB's
 * Command, without the serialized plan: the engine plans again on replay).
 */
import type { Admin, Consumer, Kafka, KafkaMessage, Producer } from 'kafkajs';

export interface Command {
  readonly commandId: string;
  readonly statement: string;
  readonly streamsProperties: Readonly<Record<string, unknown>>;
  /** Its offset: ksqlDB's commandSequenceNumber. */
  readonly sequenceNumber: number;
}

export function commandTopicName(serviceId: string): string {
  return `_confluent-ksql-${serviceId}_command_topic`;
}

export class CommandTopic {
  private producer: Producer | null = null;

  constructor(
    private readonly kafka: Kafka,
    private readonly admin: Admin,
    readonly topic: string,
  ) {}

  /** Creates the topic when missing: one partition, so commands keep one order; never deleted by time. */
  async start(): Promise<void> {
    const existing = await this.admin.listTopics();
    if (!existing.includes(this.topic)) {
      await this.admin.createTopics({
        waitForLeaders: true,
        topics: [
          {
            topic: this.topic,
            numPartitions: 1,
            replicationFactor: 1,
            configEntries: [{ name: 'retention.ms', value: '-1' }],
          },
        ],
      });
    }
    // Idempotent, so a retried send cannot record one command twice.
    this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await this.producer.connect();
  }

  private follower: Consumer | null = null;

  /** The sequence number the next command will get. */
  async endOffset(): Promise<number> {
    const [offsets] = await this.admin.fetchTopicOffsets(this.topic);
    return Number(offsets?.high ?? 0);
  }

  /** Every command so far, in order. */
  async readAll(): Promise<Command[]> {
    const end = await this.endOffset();
    if (end === 0) return [];
    const commands: Command[] = [];
    // A throwaway group: the server keeps no position of its own in this topic.
    const consumer = this.kafka.consumer({ groupId: `${this.topic}-replay-${process.pid}-${Date.now()}` });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: this.topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        consumer
          .run({
            eachMessage: async ({ message }) => {
              const offset = Number(message.offset);
              if (offset >= end) return;
              commands.push(commandOf(message));
              if (offset >= end - 1) resolve();
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
    }
    return commands.sort((a, b) => a.sequenceNumber - b.sequenceNumber);
  }

  /** Hands every command from `from` on to `onCommand`, in order, until stop(). */
  async follow(from: number, onCommand: (command: Command) => void): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: `${this.topic}-follow-${process.pid}-${Date.now()}`,
      // Commands are few and a peer waits on them: ask again soon after an empty fetch.
      maxWaitTimeInMs: 100,
    });
    await consumer.connect();
    await consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ message }) => {
        if (Number(message.offset) >= from) onCommand(commandOf(message));
      },
    });
    this.follower = consumer;
  }

  /** Records a command (acks=all) and answers its sequence number. */
  async append(commandId: string, statement: string, streamsProperties: Record<string, unknown>): Promise<number> {
    if (this.producer === null) throw new Error('command topic not started');
    const [meta] = await this.producer.send({
      topic: this.topic,
      acks: -1,
      messages: [
        {
          key: commandId,
          value: JSON.stringify({ statement, streamsProperties, originalProperties: streamsProperties }),
        },
      ],
    });
    return Number(meta?.baseOffset ?? -1);
  }

  async stop(): Promise<void> {
    await this.follower?.disconnect();
    this.follower = null;
    await this.producer?.disconnect();
    this.producer = null;
  }
}

function commandOf(message: KafkaMessage): Command {
  const value = JSON.parse(message.value?.toString() ?? '{}') as {
    statement?: string;
    streamsProperties?: Record<string, unknown>;
  };
  return {
    commandId: message.key?.toString() ?? '',
    statement: value.statement ?? '',
    streamsProperties: value.streamsProperties ?? {},
    sequenceNumber: Number(message.offset),
  };
}
