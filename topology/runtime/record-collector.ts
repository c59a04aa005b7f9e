/**
 * Collects what tasks produce (output, repartition and changelog records)
 * until the next commit, when it is sent in one go: inside the transaction
 * under exactly-once, before the offset commit under at-least-once.
 *
 * kafkajs puts all of a send's records for one partition into one record
 * batch, which the broker refuses above its message.max.bytes (1 MiB by
 * default): a commit's records go out in sends of at most MAX_SEND_BYTES,
 * and of at most MAX_SEND_RECORDS per topic, since kafkajs groups a topic's
 * messages by partition in time quadratic in their number.
 */
import type { IHeaders, Message, TopicMessages } from 'kafkajs';
import type { Headers } from '../processor/record.ts';
import type { RecordCollector } from '../processor/task.ts';
import type { ChangelogWriter } from '../state/changelog.ts';
import { kafkajsMessage, MAX_SEND_BYTES, MAX_SEND_RECORDS, messageSize } from './kafkajs-messages.ts';

export class BufferedRecordCollector implements RecordCollector, ChangelogWriter {
  private pending = new Map<string, Message[]>();
  private count = 0;

  constructor(private readonly partitionCounts: (topic: string) => number) {}

  /** partition null: the producer's default partitioner (murmur2 of the key, as Kafka's) picks one. */
  send(
    topic: string,
    key: Buffer | null,
    value: Buffer | null,
    timestamp: number,
    headers: Headers,
    partition: number | null,
  ): void {
    const message = kafkajsMessage(key, value, timestamp, partition ?? undefined);
    if (headers.length > 0) message.headers = toKafkaHeaders(headers);
    this.push(topic, message);
  }

  log(topic: string, partition: number, key: Buffer, value: Buffer | null, timestamp: number): void {
    this.push(topic, kafkajsMessage(key, value, timestamp, partition));
  }

  partitionsFor(topic: string): number {
    return this.partitionCounts(topic);
  }

  get size(): number {
    return this.count;
  }

  /** Everything collected since the last drain, in order, as sends of at most `maxBytes` each, by topic. */
  drain(maxBytes = MAX_SEND_BYTES): TopicMessages[][] {
    const sends: TopicMessages[][] = [];
    let send = new Map<string, Message[]>();
    let bytes = 0;
    for (const [topic, messages] of this.pending) {
      for (const message of messages) {
        const size = messageSize(message);
        const full = bytes + size > maxBytes || (send.get(topic)?.length ?? 0) >= MAX_SEND_RECORDS;
        if (full && bytes > 0) {
          sends.push(asTopicMessages(send));
          send = new Map();
          bytes = 0;
        }
        let list = send.get(topic);
        if (list === undefined) {
          list = [];
          send.set(topic, list);
        }
        list.push(message);
        bytes += size;
      }
    }
    if (bytes > 0) sends.push(asTopicMessages(send));
    this.pending = new Map();
    this.count = 0;
    return sends;
  }

  private push(topic: string, message: Message): void {
    let list = this.pending.get(topic);
    if (list === undefined) {
      list = [];
      this.pending.set(topic, list);
    }
    list.push(message);
    this.count++;
  }
}

function asTopicMessages(byTopic: Map<string, Message[]>): TopicMessages[] {
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}

function toKafkaHeaders(headers: Headers): IHeaders {
  const out: IHeaders = {};
  for (const { key, value } of headers) {
    const v = value ?? Buffer.alloc(0);
    const prev = out[key];
    out[key] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/** kafkajs headers (an object) as the topology's ordered list. */
export function fromKafkaHeaders(headers: IHeaders | undefined): Headers {
  if (headers === undefined) return [];
  const out: { key: string; value: Buffer | null }[] = [];
  for (const key in headers) {
    const v = headers[key];
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v])
      out.push({ key, value: typeof one === 'string' ? Buffer.from(one) : one });
  }
  return out;
}
