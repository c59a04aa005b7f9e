/**
 * Two servers of one service id form a cluster, as ksqlDB servers do: a
 * statement accepted by either runs on both (through the command topic), and
 * each persistent query's partitions are shared between them by its
 * consumer group, exactly once across one of them stopping.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { AssignerProtocol, Kafka, logLevel } from 'kafkajs';
import { startTestBroker, type TestBroker } from '../../test/support/broker.ts';
import { temporaryDir, testLogger, until } from '../../test/support/index.ts';
import { KsqlClient } from '../client/ksql-client.ts';
import { type KsqlRestServer, startKsqlRestServer } from './app.ts';

const servers: KsqlRestServer[] = [];
// Registered before the broker's own after() hook, so the servers stop while the broker still answers.
after(async () => {
  await producer.disconnect();
  await admin.disconnect();
  for (const server of servers) await server.stop();
});
const broker: TestBroker = await startTestBroker({ groupInitialRebalanceDelayMs: 0 });
const kafka = new Kafka({ brokers: [broker.address], logLevel: logLevel.NOTHING });
const producer = kafka.producer();
const admin = kafka.admin();
await producer.connect();
await admin.connect();

function startServer(name: string): Promise<KsqlRestServer> {
  return startKsqlRestServer({
    bootstrapServers: [broker.address],
    serviceId: 'cluster_',
    stateDir: temporaryDir(`tally-ksql-cluster-${name}-`),
    host: '127.0.0.1',
    port: 0,
    logger: testLogger(`ksql-${name}`),
  });
}

const first = await startServer('first');
const second = await startServer('second');
servers.push(first, second);
const firstClient = new KsqlClient({ url: first.url });
const secondClient = new KsqlClient({ url: second.url });

const CANDIDATES = ['ada', 'bo', 'cy', 'di', 'ed', 'fa', 'gu', 'hu'];

async function produceVotes(count: number): Promise<void> {
  const messages = Array.from({ length: count }, (_, i) => ({
    key: `voter-${i}`,
    value: JSON.stringify({ candidate: CANDIDATES[i % CANDIDATES.length] }),
  }));
  await producer.send({ topic: 'cl_votes', messages });
}

async function total(client: KsqlClient): Promise<number> {
  const { rows } = await client.query('SELECT candidate, n FROM votes_by_candidate;');
  return rows.reduce((sum, row) => sum + (row[1] as number), 0);
}

async function tableNames(client: KsqlClient): Promise<string[]> {
  const [listed] = await client.execute('SHOW TABLES;');
  return (listed as unknown as { tables: { name: string }[] }).tables.map((t) => t.name).sort();
}

async function groupMembers(queryId: string): Promise<{ partitions: number }[]> {
  const groupId = `_confluent-ksql-cluster_query_${queryId}`;
  const { groups } = await admin.describeGroups([groupId]);
  return (groups[0]?.members ?? []).map((m) => {
    const assignment = AssignerProtocol.MemberAssignment.decode(m.memberAssignment)?.assignment ?? {};
    return { partitions: Object.values(assignment).reduce((n, partitions) => n + partitions.length, 0) };
  });
}

let queryId = '';

test('a statement accepted by one server is executed by the other', async () => {
  await firstClient.execute(
    "CREATE STREAM votes (voter STRING KEY, candidate STRING) WITH (kafka_topic='cl_votes', value_format='JSON', partitions=4);",
  );
  // The second server has not been told: it reads the command from the command topic before answering.
  const [streams] = await secondClient.execute('SHOW STREAMS;');
  assert.ok((streams as unknown as { streams: { name: string }[] }).streams.some((s) => s.name === 'VOTES'));
  const [created] = await secondClient.execute(
    'CREATE TABLE votes_by_candidate AS SELECT candidate, COUNT(*) AS n FROM votes GROUP BY candidate;',
  );
  queryId = (created as unknown as { commandStatus: { queryId: string } }).commandStatus.queryId;
  assert.match(queryId, /^CTAS_VOTES_BY_CANDIDATE_/);
  assert.deepEqual(await tableNames(firstClient), ['VOTES_BY_CANDIDATE']);
});

test('both servers run the query, sharing its partitions, and count every vote once', async () => {
  // Both servers join the query's consumer group: its four partitions are split between them.
  await until(
    async () => {
      const members = await groupMembers(queryId);
      return members.length === 2 && members.every((m) => m.partitions > 0);
    },
    'both servers in the query group with partitions of their own',
    60_000,
  );
  await produceVotes(4_000);
  await until(async () => (await total(firstClient)) === 4_000, 'every vote counted', 60_000);
  assert.equal(await total(secondClient), 4_000);
});

test('when one server stops, the other takes its partitions and nothing is lost or counted twice', async () => {
  await second.stop();
  servers.pop();
  await produceVotes(2_000);
  await until(async () => (await total(firstClient)) === 6_000, 'the remaining server counting every vote', 90_000);
  const { rows } = await firstClient.query('SELECT candidate, n FROM votes_by_candidate;');
  assert.deepEqual(
    new Map(rows.map((row) => [row[0], row[1]])),
    new Map(CANDIDATES.map((c) => [c, 6_000 / CANDIDATES.length])),
  );
});

test('a server that joins later replays the commands and terminates with its peers', async () => {
  const third = await startServer('third');
  servers.push(third);
  const thirdClient = new KsqlClient({ url: third.url });
  assert.deepEqual(await tableNames(thirdClient), ['VOTES_BY_CANDIDATE']);
  await until(async () => (await groupMembers(queryId)).length === 2, 'the new server in the query group', 60_000);
  await thirdClient.execute(`TERMINATE ${queryId};`);
  const [queries] = await firstClient.execute('SHOW QUERIES;');
  assert.deepEqual((queries as unknown as { queries: unknown[] }).queries, []);
  await until(async () => (await groupMembers(queryId)).length === 0, 'the query stopped on every server', 60_000);
});
