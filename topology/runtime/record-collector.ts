/**
 * Collects what tasks produce (output, repartition and changelog records)
 * until the next commit, when it is sent in one go: inside the transaction
 * under exactly-once, before the offset commit under at-least-once.
 */
import type { IHeaders, Message, TopicMessages } from 'kafkajs';
import type { Headers } from '../processor/record.ts';
import type { RecordCollector } from '../processor/task.ts';
import type { ChangelogWriter } from '../state/changelog.ts';

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
    const message: Message = { key, value, timestamp: String(timestamp) };
    if (partition !== null) message.partition = partition;
    if (headers.length > 0) message.headers = toKafkaHeaders(headers);
    this.push(topic, message);
  }

  log(topic: string, partition: number, key: Buffer, value: Buffer | null, timestamp: number): void {
    this.push(topic, { key, value, partition, timestamp: String(timestamp) });
  }

  partitionsFor(topic: string): number {
    return this.partitionCounts(topic);
  }

  get size(): number {
    return this.count;
  }

  /** Everything collected since the last drain, by topic. */
  drain(): TopicMessages[] {
    const out = [...this.pending].map(([topic, messages]) => ({ topic, messages }));
    this.pending = new Map();
    this.count = 0;
    return out;
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
