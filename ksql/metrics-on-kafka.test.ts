/**
 * The metric SQL on Kafka: the migrations applied as ksql-migrations applies
 * them (one POST /ksql per statement, SET/UNSET kept by the client and sent
 * as streamsProperties) to Tally's ksqlDB server on the embedded broker,
 * whose queries run as exactly-once KafkaStreams over two-partition topics;
 * a small election produced with kafkajs (dimensions and voters first, then
 * the votes); every sink table, read back from its topic, must reach the
 * ground truth. This is where the record cache setting, the processing log
 * topic and the runtime's cross-partition order (a vote joined after its
 * voter) all have to hold.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Kafka, Kafka as KafkaClient, logLevel, Partitioners } from 'kafkajs';
import { KSQL_CONTENT_TYPE, latestRowsOf, parseStatements, startKsqlRestServer } from '../engine/index.ts';
import { createElection, serializeVoteEvent } from '../producers/index.ts';
import { startTestBroker } from '../test/support/broker.ts';
import { temporaryDir, testLogger, until } from '../test/support/index.ts';
import { expectedTables, SINK_TABLES, type Table } from './expected-tables.ts';

const MIGRATIONS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
const PARTITIONS = 2;
const DAY_MS = 86_400_000;

/** Every committed record of a topic up to its end now, in partition and offset order. */
async function readTopic(kafka: Kafka, topic: string): Promise<{ key: Buffer | null; value: Buffer | null }[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<number, number>();
  try {
    for (const p of await admin.fetchTopicOffsets(topic)) {
      if (Number(p.high) > Number(p.low)) ends.set(p.partition, Number(p.high));
    }
  } finally {
    await admin.disconnect();
  }
  const out: { partition: number; offset: number; key: Buffer | null; value: Buffer | null }[] = [];
  if (ends.size === 0) return out;
  const consumer = kafka.consumer({ groupId: `reader-${topic}-${Date.now()}`, maxWaitTimeInMs: 100 });
  const remaining = new Set(ends.keys());
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    if (Number(payload.lastOffset) + 1 >= (ends.get(payload.partition) ?? 0)) remaining.delete(payload.partition);
    if (remaining.size === 0) finish();
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        if (Number(message.offset) < (ends.get(partition) ?? 0))
          out.push({ partition, offset: Number(message.offset), key: message.key, value: message.value });
      },
    });
    await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 20_000))]);
  } finally {
    await consumer.disconnect();
  }
  return out.sort((a, b) => a.partition - b.partition || a.offset - b.offset);
}

const broker = await startTestBroker({ groupInitialRebalanceDelayMs: 0 });
const kafka = new KafkaClient({ brokers: [broker.address], logLevel: logLevel.NOTHING });

test('the migrations on Tally ksqlDB server over Kafka reach the ground truth', { timeout: 600_000 }, async () => {
  const admin = kafka.admin();
  await admin.connect();
  after(() => admin.disconnect());
  const topics = ['regions', 'constituencies', 'polling_stations', 'parties', 'candidates', 'voters', 'votes'];
  await admin.createTopics({
    waitForLeaders: true,
    topics: topics.map((topic) => ({ topic, numPartitions: PARTITIONS })),
  });

  const server = await startKsqlRestServer({
    bootstrapServers: [broker.address],
    serviceId: 'default_',
    stateDir: temporaryDir('tally-ksql-'),
    host: '127.0.0.1',
    port: 0,
    logger: testLogger('ksql'),
    // The server's default record cache is on: only the ballots query turns it off, by its SET.
    cacheMaxBytes: 10 * 1024 * 1024,
  });
  try {
    for (const file of fs.readdirSync(MIGRATIONS).sort()) {
      let properties: Record<string, string> = {};
      for (const s of parseStatements(fs.readFileSync(path.join(MIGRATIONS, file), 'utf8'))) {
        if (s.kind === 'set') properties = { ...properties, [s.name]: s.value };
        else if (s.kind === 'unset') {
          const { [s.name]: _, ...rest } = properties;
          properties = rest;
        } else {
          const response = await fetch(`${server.url}/ksql`, {
            method: 'POST',
            headers: { 'content-type': KSQL_CONTENT_TYPE },
            body: JSON.stringify({ ksql: s.text, streamsProperties: properties }),
          });
          assert.equal(response.status, 200, `${s.text}: ${await response.text()}`);
        }
      }
    }

    const election = createElection({
      scenario: 'small',
      seed: 7,
      overrides: {
        voters: 400,
        integrity: { repeatVotes: 0.05, unregisteredVoters: 0.03, unknownCandidates: 0.03, malformed: 0.05 },
      },
    });
    const producer = kafka.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    try {
      const reference = String(election.polling.opens_at - 28 * DAY_MS);
      const dimensions: [string, string, readonly object[]][] = [
        ['regions', 'region_id', election.regions],
        ['constituencies', 'constituency_id', election.constituencies],
        ['polling_stations', 'polling_station_id', election.pollingStations],
        ['parties', 'party_id', election.parties],
        ['candidates', 'candidate_id', election.candidates],
      ];
      for (const [topic, key, records] of dimensions) {
        const messages = records.map((r) => ({
          key: String((r as Record<string, unknown>)[key]),
          value: JSON.stringify(r),
          timestamp: reference,
        }));
        await producer.send({ topic, acks: -1, messages });
      }
      const voters = [...election.voters()].map(({ key, value }) => ({
        key,
        value: JSON.stringify(value),
        timestamp: String(value.registered_at),
      }));
      await producer.send({ topic: 'voters', acks: -1, messages: voters });
      const votes = [...election.votes()].map((event) => {
        const r = serializeVoteEvent(event);
        return { key: r.key, value: r.value, timestamp: String(r.timestamp) };
      });
      await producer.send({ topic: 'votes', acks: -1, messages: votes });
    } finally {
      await producer.disconnect();
    }

    const truth = election.truth();
    assert.ok(truth.integrity.malformed_records > 0 && truth.integrity.repeat_votes > 0);
    const expected: Record<string, Table> = expectedTables(election, truth);
    const engine = server.server.engine;
    const actual: Record<string, Table> = {};
    const differing = () =>
      SINK_TABLES.filter((name) => name in expected).filter(
        (name) => JSON.stringify(sorted(actual[name])) !== JSON.stringify(sorted(expected[name])),
      );
    await until(
      async () => {
        for (const name of SINK_TABLES) {
          const source = engine.metastore.source(name.toUpperCase());
          assert.ok(source, name);
          const rows = latestRowsOf(source, await readTopic(kafka, source.topic));
          actual[name] = Object.fromEntries([...rows].map(([k, v]) => [(JSON.parse(k) as unknown[]).join('|'), v]));
        }
        return differing().length === 0;
      },
      'every sink table at the ground truth',
      300_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}; still differing: ${differing().join(', ')}`);
    });
    for (const query of engine.queries()) assert.equal(server.server.queryState(query.id), 'RUNNING', query.id);
  } finally {
    await server.stop();
  }
});

function sorted(table: Table | undefined): [string, unknown][] {
  return Object.entries(table ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
