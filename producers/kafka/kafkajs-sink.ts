/**
 * A RecordSink on one kafkajs idempotent producer, in the calling thread.
 * connectSink uses kafkajs-threaded-sink.ts, which runs it in a worker
 * thread (or several), off the thread that generates the records.
 *
 * kafkajs keeps one request in flight when idempotent (its sequence numbers
 * are taken at send time and committed on success), so the next records are
 * generated while a send is on the wire. A write is split into sends of at
 * most MAX_SEND_BYTES: kafkajs puts all of a send's records for one
 * partition into one batch, and a batch over the broker's message.max.bytes
 * (1 MiB by default) is refused. Sends also hold at most MAX_SEND_RECORDS:
 * kafkajs groups a send's messages by partition in time quadratic in their
 * number (it copies a partition's array for each message it adds), which
 * costs more than the extra requests beyond about a thousand.
 */
import type { Message, Producer } from 'kafkajs';
import type { KafkaClientConfig } from '../../config/index.ts';
import {
  kafkajsMessage,
  MAX_SEND_BYTES,
  MAX_SEND_RECORDS,
  messageSize,
  murmur2Partitioner,
} from '../../topology/runtime/kafkajs-messages.ts';
import { connectOrExplain, type KafkajsLogger, kafkajsClient } from './kafkajs-connection.ts';
import type { OutgoingRecord, RecordSink } from './record-sink.ts';

interface SendableRecord extends Omit<OutgoingRecord, 'key' | 'partition'> {
  readonly key: string | Buffer | null;
  readonly partition?: number | undefined;
}

export class KafkajsSink implements RecordSink {
  private inFlight: Promise<void> = Promise.resolve();
  private failure: Error | null = null;

  private constructor(private readonly producer: Producer) {}

  static async connect(config: KafkaClientConfig, logger: KafkajsLogger): Promise<KafkajsSink> {
    const producer = kafkajsClient(config, logger).producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: murmur2Partitioner,
      allowAutoTopicCreation: false,
      // Idempotence defaults to retrying forever; a broker gone for a minute or so should end the run instead.
      retry: { retries: 10, maxRetryTime: 10_000 },
    });
    await connectOrExplain(producer, config);
    return new KafkajsSink(producer);
  }

  /** Records with string keys (a RecordSink's), or with the Buffer keys the worker thread unpacks. */
  async write(topic: string, records: readonly SendableRecord[]): Promise<void> {
    let send: Message[] = [];
    let bytes = 0;
    for (const record of records) {
      const message = kafkajsMessage(record.key, record.value, record.timestamp, record.partition);
      const size = messageSize(message);
      if ((bytes + size > MAX_SEND_BYTES || send.length >= MAX_SEND_RECORDS) && send.length > 0) {
        await this.send(topic, send);
        send = [];
        bytes = 0;
      }
      send.push(message);
      bytes += size;
    }
    if (send.length > 0) await this.send(topic, send);
  }

  async flush(): Promise<void> {
    await this.settle();
  }

  async close(): Promise<void> {
    try {
      if (!this.failure) await this.flush();
    } finally {
      await this.producer.disconnect();
    }
  }

  /** Starts sending `messages` once the previous send is done; does not wait for this one. */
  private async send(topic: string, messages: Message[]): Promise<void> {
    await this.settle();
    this.inFlight = this.producer.send({ topic, messages, acks: -1 }).then(
      () => undefined,
      (error: Error) => {
        this.failure ??= error;
      },
    );
  }

  private async settle(): Promise<void> {
    await this.inFlight;
    if (this.failure) throw this.failure;
  }
}
