/**
 * Helpers for the runtime's tests: reading a topic to its end as a
 * read_committed consumer would, and producing keyed JSON records.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Partitioners } from 'kafkajs';

export function testKafka(address: string): Kafka {
  return new Kafka({
    clientId: 'tally-topology-test',
    brokers: [address],
    logLevel: logLevel.NOTHING,
    retry: { retries: 5 },
  });
}

export interface ReadRecord {
  readonly partition: number;
  readonly offset: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
}

/** Every committed record of a topic, up to the end offsets taken when called. */
export async function readCommitted(kafka: Kafka, topic: string, timeoutMs = 30_000): Promise<ReadRecord[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<number, number>();
  for (const p of await admin.fetchTopicOffsets(topic))
    if (Number(p.high) > Number(p.low)) ends.set(p.partition, Number(p.high));
  const groupId = `reader-${randomUUID()}`;
  const out: ReadRecord[] = [];
  if (ends.size > 0) {
    const consumer = kafka.consumer({ groupId, readUncommitted: false, maxWaitTimeInMs: 100 });
    const remaining = new Set(ends.keys());
    let finish!: () => void;
    const done = new Promise<void>((resolve) => (finish = resolve));
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      if (Number(payload.lastOffset) + 1 >= (ends.get(payload.partition) ?? 0)) remaining.delete(payload.partition);
      if (remaining.size === 0) finish();
    });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages)
          out.push({ partition: batch.partition, offset: Number(m.offset), key: m.key, value: m.value });
      },
    });
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        done,
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`reading ${topic} to its end took over ${timeoutMs} ms`)),
            timeoutMs,
          );
        }),
      ]);
    } finally {
      clearTimeout(timer);
      await consumer.disconnect();
      await admin.deleteGroups([groupId]).catch(() => {});
    }
  }
  await admin.disconnect();
  return out;
}

/** The table a changelog-style topic describes: the last value per key (in offset order per partition). */
export function lastValues(records: readonly ReadRecord[]): Map<string, Buffer | null> {
  const sorted = [...records].sort((a, b) => a.partition - b.partition || a.offset - b.offset);
  const out = new Map<string, Buffer | null>();
  for (const r of sorted) out.set(r.key?.toString() ?? '', r.value);
  return out;
}

export interface Vote {
  readonly vote_id: number;
  readonly candidate_id: string;
  readonly cast_at: number;
}

/** Votes keyed by vote id, so counting by candidate repartitions. */
export function votes(from: number, count: number, candidates: number): Vote[] {
  return Array.from({ length: count }, (_, i) => ({
    vote_id: from + i,
    candidate_id: `c${(from + i) % candidates}`,
    cast_at: 1_700_000_000_000 + (from + i) * 10,
  }));
}

export async function produceVotes(kafka: Kafka, topic: string, list: readonly Vote[]): Promise<void> {
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  try {
    for (let i = 0; i < list.length; i += 2000) {
      await producer.send({
        topic,
        acks: -1,
        messages: list
          .slice(i, i + 2000)
          .map((v) => ({ key: `v${v.vote_id}`, value: JSON.stringify(v), timestamp: String(v.cast_at) })),
      });
    }
  } finally {
    await producer.disconnect();
  }
}

export function expectedCounts(list: readonly Vote[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const v of list) out.set(v.candidate_id, (out.get(v.candidate_id) ?? 0) + 1);
  return out;
}
