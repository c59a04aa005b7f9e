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
import type { ICustomPartitioner, Message, Producer } from 'kafkajs';
import type { KafkaClientConfig } from '../../config/index.ts';
import { connectOrExplain, type KafkajsLogger, kafkajsClient } from './kafkajs-connection.ts';
import { keyPartition } from './partitioner.ts';
import type { OutgoingRecord, RecordSink } from './record-sink.ts';

/** Under message.max.bytes even if every record of a send lands on one partition. */
export const MAX_SEND_BYTES = 900_000;
/** Messages a send holds at most (see above; measured with bench/produce.ts). */
export const MAX_SEND_RECORDS = 1_000;
/** A record's framing in a batch (lengths, deltas, attributes), at most. */
const RECORD_OVERHEAD_BYTES = 24;

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

  async write(topic: string, records: readonly OutgoingRecord[]): Promise<void> {
    await this.writeMessages(topic, records.map(toMessage));
  }

  /** As write, with the records already in kafkajs's shape (timestamps as decimal strings). */
  async writeMessages(topic: string, messages: readonly Message[]): Promise<void> {
    let send: Message[] = [];
    let bytes = 0;
    for (const message of messages) {
      const size = byteLength(message.key) + byteLength(message.value) + RECORD_OVERHEAD_BYTES;
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

/**
 * kafkajs's DefaultPartitioner (murmur2 on the key bytes, as the Java client,
 * Kafka Streams and our librdkafka sink), with the same results, but hashing
 * with 32-bit integer arithmetic: kafkajs's own murmur2 works in 64-bit Long
 * objects and took a fifth of a backfill's time. A record's own partition
 * comes first; unkeyed records go round-robin over partitions with a leader.
 */
export const murmur2Partitioner: ICustomPartitioner = () => {
  let unkeyed = 0;
  return ({ partitionMetadata, message }) => {
    if (message.partition !== undefined && message.partition !== null) return message.partition;
    if (message.key !== undefined && message.key !== null) return keyPartition(message.key, partitionMetadata.length);
    const available = partitionMetadata.filter((p) => p.leader >= 0);
    const candidates = available.length > 0 ? available : partitionMetadata;
    return candidates[unkeyed++ % candidates.length]?.partitionId ?? 0;
  };
};

function toMessage(record: OutgoingRecord): Message {
  return kafkajsMessage(record.key, record.value, record.timestamp, record.partition);
}

/** A kafkajs Message already holding the fields kafkajs adds to it while encoding (see kafkajsMessage). */
interface EncodableMessage extends Message {
  offsetDelta: number;
  timestampDelta: number;
}

/**
 * A record as a kafkajs Message, in one shape for all. kafkajs encodes each
 * message as `Record({ ...message, offsetDelta, timestampDelta })`; on
 * Node 20's V8 that spread is slow (about 1.5 µs, a fifth of kafkajs's
 * encoding) when it adds properties, and cheap when it only overwrites
 * ones the message has. So the message carries both, as zeros that kafkajs
 * replaces: the bytes sent are the same (bench/produce.ts; measured with a
 * profile of the produce path).
 */
export function kafkajsMessage(
  key: string | Buffer | null,
  value: string | Buffer,
  timestamp: number,
  partition: number | undefined,
): Message {
  const message: EncodableMessage = {
    key,
    value,
    timestamp: String(timestamp),
    partition,
    offsetDelta: 0,
    timestampDelta: 0,
  };
  return message;
}

function byteLength(data: string | Buffer | null | undefined): number {
  if (data === null || data === undefined) return 0;
  // UTF-8 bytes, not UTF-16 units: voters' names are not all ASCII.
  return typeof data === 'string' ? Buffer.byteLength(data) : data.length;
}
