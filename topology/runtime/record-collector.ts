/**
 * Collects what tasks produce (output, repartition and changelog records)
 * until the next commit, when it is sent in one go: inside the transaction
 * under exactly-once, before the offset commit under at-least-once.
 *
 * kafkajs puts all of a send's records for one partition into one record
 * batch, which the broker refuses above its message.max.bytes (1 MiB by
 * default): a commit's records go out in sends of at most MAX_SEND_BYTES,
 * and of at most SEND_RECORDS_PER_TOPIC per topic, since kafkajs groups a
 * topic's messages by partition in time quadratic in their number.
 */
import type { IHeaders, Message, TopicMessages } from 'kafkajs';
import type { Headers } from '../processor/record.ts';
import type { RecordCollector } from '../processor/task.ts';
import type { ChangelogWriter } from '../state/changelog.ts';
import { kafkajsMessage, MAX_SEND_BYTES, MAX_SEND_RECORDS, messageSize } from './kafkajs-messages.ts';

/**
 * Half of MAX_SEND_RECORDS: a task's records for a topic mostly go to one
 * partition (its changelog partition; output keyed as its input), where
 * kafkajs's grouping is quadratic: about 1.75 µs a record in sends of 1,000,
 * 1.2 µs in sends of 500, and its copies are garbage to collect. Producing
 * transactions of 1,300 changelog and 1,300 output records (the benchmark's
 * windowed count commits), one partition each, cost the client 7.1 µs of CPU
 * a record in sends of 500 against 8.2 µs in sends of 1,000, for the same
 * wall time. Sends take every topic's next records at once, so such a commit
 * still goes in 3 sends, as it did in sends of 1,000 filled one topic after
 * another.
 */
export const SEND_RECORDS_PER_TOPIC = MAX_SEND_RECORDS / 2;

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

  /**
   * Everything collected since the last drain, as sends of at most
   * `maxBytes` and SEND_RECORDS_PER_TOPIC per topic, each topic's records in the
   * order collected. Each send takes the next records of every topic (not
   * one topic after another): a commit's changelog and output records go
   * in as few sends, so as few round trips, as the per-topic limit allows.
   */
  drain(maxBytes = MAX_SEND_BYTES): TopicMessages[][] {
    const topics = [...this.pending];
    const taken = topics.map(() => 0);
    let left = this.count;
    const sends: TopicMessages[][] = [];
    while (left > 0) {
      const send: TopicMessages[] = [];
      let bytes = 0;
      let full = false;
      for (let t = 0; t < topics.length && !full; t++) {
        const [topic, messages] = topics[t] as [string, Message[]];
        const from = taken[t] as number;
        const last = Math.min(messages.length, from + SEND_RECORDS_PER_TOPIC);
        let to = from;
        while (to < last) {
          const size = messageSize(messages[to] as Message);
          // The first record of a send goes in whatever its size: the broker says whether it is too large.
          if (bytes + size > maxBytes && bytes > 0) {
            full = true;
            break;
          }
          bytes += size;
          to++;
        }
        if (to === from) continue;
        send.push({ topic, messages: from === 0 && to === messages.length ? messages : messages.slice(from, to) });
        taken[t] = to;
        left -= to - from;
      }
      sends.push(send);
    }
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
