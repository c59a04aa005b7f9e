import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { startTestBroker, type TestBroker } from '../../test/support/broker.ts';
import { temporaryDir, testLogger, until } from '../../test/support/index.ts';
import { KsqlClient } from '../client/ksql-client.ts';
import { type KsqlRestServer, startKsqlRestServer } from './app.ts';

let server: KsqlRestServer | undefined;
// Registered before the broker's own after() hook, so the server and producer stop while the broker still answers.
after(async () => {
  await producer.disconnect();
  await server?.stop();
});
const broker: TestBroker = await startTestBroker({ groupInitialRebalanceDelayMs: 0 });
const producer = new Kafka({ brokers: [broker.address], logLevel: logLevel.NOTHING }).producer();
await producer.connect();
server = await startKsqlRestServer({
  bootstrapServers: [broker.address],
  serviceId: 'offset_reset_',
  stateDir: temporaryDir('tally-ksql-offset-reset-'),
  host: '127.0.0.1',
  port: 0,
  logger: testLogger('ksql'),
  cacheMaxBytes: 0,
});
const client = new KsqlClient({ url: server.url });

const vote = (candidate: string) => ({ topic: 'or_votes', messages: [{ value: JSON.stringify({ candidate }) }] });

async function counts(table: string): Promise<Map<string, number>> {
  const result = await client.query(`SELECT candidate, n FROM ${table};`);
  return new Map(result.rows.map((row) => [row[0] as string, row[1] as number]));
}

test("a query created with SET 'auto.offset.reset'='latest' reads only what is written after it starts; by default from the earliest", async () => {
  await client.execute(
    "CREATE STREAM votes (candidate STRING) WITH (kafka_topic='or_votes', value_format='JSON', partitions=1);",
  );
  await producer.send(vote('before'));
  await producer.send(vote('before'));
  await client.execute('CREATE TABLE from_earliest AS SELECT candidate, COUNT(*) AS n FROM votes GROUP BY candidate;');
  await client.execute('CREATE TABLE from_latest AS SELECT candidate, COUNT(*) AS n FROM votes GROUP BY candidate;', {
    streamsProperties: { 'auto.offset.reset': 'latest' },
  });
  // The latest query starts at the log's end when its task is created: send until one of these arrives after that.
  let after = 0;
  await until(
    async () => {
      await producer.send(vote('after'));
      after++;
      return (await counts('from_latest')).has('after');
    },
    'the latest query counting new votes',
    60_000,
  );
  await until(async () => (await counts('from_earliest')).get('after') === after, 'every new vote counted');
  assert.deepEqual(
    await counts('from_earliest'),
    new Map([
      ['before', 2],
      ['after', after],
    ]),
  );
  const latest = await counts('from_latest');
  assert.equal(latest.has('before'), false, 'the latest query counted votes written before it started');
  assert.ok((latest.get('after') ?? 0) >= 1);
});

test('an unknown auto.offset.reset is refused with the allowed values', async () => {
  await assert.rejects(
    client.execute('CREATE TABLE bad_reset AS SELECT candidate, COUNT(*) AS n FROM votes GROUP BY candidate;', {
      streamsProperties: { 'auto.offset.reset': 'middle' },
    }),
    /auto.offset.reset.*latest, earliest/,
  );
  const [listed] = await client.execute('SHOW TABLES;');
  assert.deepEqual((listed as unknown as { tables: { name: string }[] }).tables.map((t) => t.name).sort(), [
    'FROM_EARLIEST',
    'FROM_LATEST',
  ]);
});
