/**
 * The Kafka side of an RQTT case, as ksqlDB's RestTestExecutor does it:
 * create the case's topics, produce its inputs (encoded for the source
 * that reads each topic), wait until every persistent query has processed
 * what is on its source topics, and read an output topic back.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin, Kafka } from 'kafkajs';
import type { KsqlEngine } from '../execution/engine.ts';
import { parseStatements } from '../parser/parser.ts';
import type { QttRecord } from './qtt.ts';
import type { RqttCase } from './rqtt.ts';
import { sourceFor } from './runner.ts';
import { keyBytes, valueBytes } from './test-records.ts';

/** KsqlConstants.legacyDefaultSinkPartitionCount. */
const HARNESS_PARTITIONS = 4;

/**
 * The topics a case names, with their partition counts: its `topics`, the
 * topics of its inputs and outputs, and those of its CREATE STREAM/TABLE
 * statements (PARTITIONS when given, else four: ksqlDB's test harness
 * creates them with its legacy default sink partition count, which decides
 * the order of pull queries' table scans).
 */
export function caseTopics(test: RqttCase): Map<string, number> {
  const topics = new Map<string, number>();
  const add = (name: string, partitions = HARNESS_PARTITIONS) => {
    if (!topics.has(name)) topics.set(name, partitions);
  };
  for (const statement of test.statements) {
    let parsed: ReturnType<typeof parseStatements>;
    try {
      parsed = parseStatements(statement);
    } catch {
      continue; // the server answers for it
    }
    for (const s of parsed) {
      const body = s as unknown as { kind: string; properties?: ReadonlyMap<string, unknown> };
      if (body.kind !== 'createSource' || body.properties === undefined) continue;
      const topic = body.properties.get('KAFKA_TOPIC');
      const partitions = Number(body.properties.get('PARTITIONS') ?? HARNESS_PARTITIONS);
      if (typeof topic === 'string') {
        add(topic, Number.isInteger(partitions) && partitions > 0 ? partitions : HARNESS_PARTITIONS);
      }
    }
  }
  for (const t of test.topics ?? []) add(t.name, 1);
  for (const r of [...(test.inputs ?? []), ...(test.outputs ?? [])]) add(r.topic);
  return topics;
}

export async function createTopics(admin: Admin, topics: ReadonlyMap<string, number>): Promise<void> {
  if (topics.size === 0) return;
  await admin.createTopics({
    topics: [...topics].map(([topic, numPartitions]) => ({ topic, numPartitions, replicationFactor: 1 })),
    waitForLeaders: true,
  });
}

/** Produces the inputs in order, each encoded for the source declared over its topic. */
export async function produceInputs(kafka: Kafka, engine: KsqlEngine, inputs: readonly QttRecord[]): Promise<void> {
  if (inputs.length === 0) return;
  const messages = inputs.map((input) => {
    const source = sourceFor(engine, input.topic);
    if (source === undefined) throw new Error(`no source reads topic ${input.topic}, so its inputs cannot be encoded`);
    return {
      topic: input.topic,
      key: keyBytes(source, input),
      value: valueBytes(source, input.value),
      timestamp: String(input.timestamp ?? 0),
    };
  });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    // One send per record, in order, so that records of one topic keep the case's order.
    for (const m of messages) {
      await producer.send({ topic: m.topic, messages: [{ key: m.key, value: m.value, timestamp: m.timestamp }] });
    }
  } finally {
    await producer.disconnect();
  }
}

/**
 * Waits until each persistent query's group has committed, on every
 * partition of the topics it reads, the end offset, or the end offset less
 * one for topics that queries write (in transactions: the log ends with a
 * commit marker, which no record follows). Holds twice in a row, as a
 * query's output may feed the next one.
 */
export async function waitForQueriesToCatchUp(
  admin: Admin,
  engine: KsqlEngine,
  serviceId: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let caughtUpOnce = false;
  for (;;) {
    const lagging = await firstLaggingQuery(admin, engine, serviceId);
    if (lagging === null) {
      if (caughtUpOnce) return;
      caughtUpOnce = true;
    } else caughtUpOnce = false;
    if (Date.now() > deadline) throw new Error(`persistent queries did not process their inputs: ${lagging}`);
    await sleep(100);
  }
}

async function firstLaggingQuery(admin: Admin, engine: KsqlEngine, serviceId: string): Promise<string | null> {
  const existing = new Set(await admin.listTopics());
  const written = new Set(engine.queries().map((q) => engine.metastore.source(q.sink)?.topic));
  for (const query of engine.queries()) {
    const groupId = `_confluent-ksql-${serviceId}query_${query.id}`;
    const topics = [
      ...query.topology.externalSourceTopics(),
      ...[...existing].filter((t) => t.startsWith(`${groupId}-`) && t.endsWith('-repartition')),
    ].filter((t) => existing.has(t));
    if (topics.length === 0) continue;
    const committed = await admin.fetchOffsets({ groupId, topics });
    for (const topic of topics) {
      const ends = await admin.fetchTopicOffsets(topic);
      const done = committed.find((c) => c.topic === topic)?.partitions ?? [];
      for (const end of ends) {
        const high = Number(end.high);
        if (high === 0) continue;
        const at = Number(done.find((p) => p.partition === end.partition)?.offset ?? -1);
        const transactional = written.has(topic) || topic.endsWith('-repartition');
        const needed = transactional ? high - 1 : high;
        if (at < needed) return `${query.id} at ${at} of ${high} on ${topic}-${end.partition}`;
      }
    }
  }
  return null;
}

export interface ReadRecord {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp: number;
}

/**
 * The committed records of a topic in partition-then-offset order: waits
 * until at least `count` are there (or the time is up), then reads to the
 * end offsets of that moment.
 */
export async function readTopic(
  kafka: Kafka,
  admin: Admin,
  topic: string,
  count: number,
  timeoutMs: number,
): Promise<ReadRecord[]> {
  const deadline = Date.now() + timeoutMs;
  const byPartition = new Map<number, ReadRecord[]>();
  const positions = new Map<number, number>();
  const groupId = `rqtt-reader-${randomUUID()}`;
  // Short fetch waits: disconnecting waits for the fetch in flight.
  const consumer = kafka.consumer({ groupId, readUncommitted: false, maxWaitTimeInMs: 100 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const list = byPartition.get(batch.partition) ?? [];
        byPartition.set(batch.partition, list);
        for (const m of batch.messages) {
          list.push({ key: m.key, value: m.value, timestamp: Number(m.timestamp) });
        }
        positions.set(batch.partition, Number(batch.lastOffset()) + 1);
      },
    });
    const total = () => [...byPartition.values()].reduce((n, l) => n + l.length, 0);
    while (total() < count && Date.now() < deadline) await sleep(50);
    // Then to the end offsets of now: more records than expected are a difference too.
    const ends = await admin.fetchTopicOffsets(topic);
    // A topic written in transactions ends with a commit marker, which no record follows.
    const reached = () => ends.every((e) => Number(e.high) - 1 <= (positions.get(e.partition) ?? 0));
    const settle = Date.now() + 500;
    while (!reached() && Date.now() < Math.min(deadline, settle)) await sleep(50);
  } finally {
    await consumer.disconnect().catch(() => {});
    await admin.deleteGroups([groupId]).catch(() => {});
  }
  return [...byPartition.entries()].sort((a, b) => a[0] - b[0]).flatMap(([, list]) => list);
}
