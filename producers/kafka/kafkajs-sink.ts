/**
 * A RecordSink on a kafkajs idempotent producer.
 *
 * kafkajs keeps one request in flight when idempotent (its sequence numbers
 * are taken at send time and committed on success), so the next records are
 * generated while a send is on the wire. A write is split into sends of at
 * most MAX_SEND_BYTES: kafkajs puts all of a send's records for one
 * partition into one batch, and a batch over the broker's message.max.bytes
 * (1 MiB by default) is refused. Sends stay moderate for speed too: kafkajs
 * groups messages by partition in time quadratic in their number.
 */
import { type Message, Partitioners, type Producer } from 'kafkajs';
import type { KafkaClientConfig } from '../../config/index.ts';
import type { Logger } from '../../logging/index.ts';
import { connectOrExplain, kafkajsClient } from './kafkajs-connection.ts';
import type { OutgoingRecord, RecordSink } from './record-sink.ts';

/** Under message.max.bytes even if every record of a send lands on one partition. */
export const MAX_SEND_BYTES = 900_000;
/** A record's framing in a batch (lengths, deltas, attributes), at most. */
const RECORD_OVERHEAD_BYTES = 24;

export class KafkajsSink implements RecordSink {
  private inFlight: Promise<void> = Promise.resolve();
  private failure: Error | null = null;

  private constructor(private readonly producer: Producer) {}

  static async connect(config: KafkaClientConfig, logger: Logger): Promise<KafkajsSink> {
    const producer = kafkajsClient(config, logger).producer({
      idempotent: true,
      maxInFlightRequests: 1,
      // murmur2 on the key bytes, as the Java client, Kafka Streams and our librdkafka sink do.
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
      // Idempotence defaults to retrying forever; a broker gone for a minute or so should end the run instead.
      retry: { retries: 10, maxRetryTime: 10_000 },
    });
    await connectOrExplain(producer, config);
    return new KafkajsSink(producer);
  }

  async write(topic: string, records: readonly OutgoingRecord[]): Promise<void> {
    let messages: Message[] = [];
    let bytes = 0;
    for (const record of records) {
      const size = byteLength(record.key) + byteLength(record.value) + RECORD_OVERHEAD_BYTES;
      if (bytes + size > MAX_SEND_BYTES && messages.length > 0) {
        await this.send(topic, messages);
        messages = [];
        bytes = 0;
      }
      const message: Message = { key: record.key, value: record.value, timestamp: String(record.timestamp) };
      if (record.partition !== undefined) message.partition = record.partition;
      messages.push(message);
      bytes += size;
    }
    if (messages.length > 0) await this.send(topic, messages);
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

function byteLength(data: string | Buffer | null): number {
  if (data === null) return 0;
  // UTF-8 bytes, not UTF-16 units: voters' names are not all ASCII.
  return typeof data === 'string' ? Buffer.byteLength(data) : data.length;
}
