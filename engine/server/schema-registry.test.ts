// The server with a real schema registry (connect/'s, over HTTP): AVRO sinks register `<topic>-key` and
// `<topic>-value` as ksqlDB does, and what they write is what Connect's AvroConverter reads.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { loadConfig } from '../../config/index.ts';
import { createConverter, SchemaRegistryClient, startSchemaRegistry } from '../../connect/index.ts';
import { startTestBroker } from '../../test/support/broker.ts';
import { temporaryDir, testLogger, until } from '../../test/support/index.ts';
import { KSQL_CONTENT_TYPE, type KsqlRestServer, startKsqlRestServer } from './app.ts';

let producer: Producer | undefined;
const consumers: { disconnect(): Promise<void> }[] = [];
after(async () => {
  for (const c of consumers) await c.disconnect();
  await producer?.disconnect();
});

const broker = await startTestBroker({ groupInitialRebalanceDelayMs: 0 });
const kafkaConfig = loadConfig({ env: { KAFKA_BROKERS: broker.address } }).kafka;
const registry = await startSchemaRegistry({
  kafka: kafkaConfig,
  host: '127.0.0.1',
  port: 0,
  logger: testLogger('sr'),
});
after(() => registry.stop());
const kafka = new Kafka({ brokers: [broker.address], logLevel: logLevel.NOTHING });
producer = kafka.producer();
await producer.connect();

function startServer(stateDir: string): Promise<KsqlRestServer> {
  return startKsqlRestServer({
    bootstrapServers: [broker.address],
    stateDir,
    host: '127.0.0.1',
    port: 0,
    logger: testLogger('ksql'),
    cacheMaxBytes: 0,
    schemaRegistry: new SchemaRegistryClient(registry.url),
  });
}

// biome-ignore lint/suspicious/noExplicitAny: entities are read field by field.
async function ksql(server: KsqlRestServer, sql: string): Promise<any> {
  const response = await fetch(`${server.url}/ksql`, {
    method: 'POST',
    headers: { 'content-type': KSQL_CONTENT_TYPE, accept: KSQL_CONTENT_TYPE },
    body: JSON.stringify({ ksql: sql, streamsProperties: {} }),
  });
  const body = await response.json();
  assert.equal(response.status, 200, JSON.stringify(body));
  return body;
}

const AVRO_CONVERTER = 'io.confluent.connect.avro.AvroConverter';
const JSON_SCHEMA_CONVERTER = 'io.confluent.connect.json.JsonSchemaConverter';

const registryConverter = (converter: string, isKey: boolean) =>
  createConverter(
    {
      [isKey ? 'key.converter' : 'value.converter']: converter,
      [isKey ? 'key.converter.schema.registry.url' : 'value.converter.schema.registry.url']: registry.url,
    },
    {},
    isKey,
  );

/** The latest value per key of a topic, read as the JDBC sink reads it: through Connect's converter. */
async function readThroughConnect(topic: string, converter = AVRO_CONVERTER) {
  const keys = registryConverter(converter, true);
  const values = registryConverter(converter, false);
  const latest = new Map<string, { key: unknown; keySchema: unknown; value: unknown; valueSchema: unknown }>();
  const consumer = kafka.consumer({ groupId: `reader-${topic}-${Date.now()}` });
  consumers.push(consumer);
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const key = await keys.toConnectData(topic, message.key ?? null);
      const value = await values.toConnectData(topic, message.value ?? null);
      latest.set(JSON.stringify(key.value), {
        key: key.value,
        keySchema: key.schema,
        value: value.value,
        valueSchema: value.schema,
      });
    },
  });
  return latest;
}

async function vote(voter: string, region: string, candidate: string): Promise<void> {
  await producer?.send({
    topic: 'sr_votes',
    messages: [{ key: voter, value: JSON.stringify({ REGION: region, CANDIDATE: candidate }) }],
  });
}

test('AVRO CTAS sinks register <topic>-key/-value as ksqlDB does; Connect reads them; a restart writes on', async () => {
  const stateDir = temporaryDir('tally-ksql-sr-');
  let server = await startServer(stateDir);
  try {
    await ksql(
      server,
      `CREATE STREAM sr_votes (voter_id STRING KEY, region STRING, candidate STRING)
         WITH (kafka_topic='sr_votes', value_format='JSON', partitions=1);
       CREATE TABLE votes_by_candidate WITH (KAFKA_TOPIC='votes_by_candidate', FORMAT='AVRO') AS
         SELECT candidate AS candidate_id, COUNT(*) AS votes FROM sr_votes GROUP BY candidate;
       CREATE TABLE votes_by_region_candidate WITH (KAFKA_TOPIC='votes_by_region_candidate', FORMAT='AVRO') AS
         SELECT region, candidate, COUNT(*) AS votes FROM sr_votes GROUP BY region, candidate;`,
    );
    const client = new SchemaRegistryClient(registry.url);
    const subjects = await client.listSubjects();
    for (const topic of ['votes_by_candidate', 'votes_by_region_candidate']) {
      assert.ok(subjects.includes(`${topic}-key`), `${topic}-key in ${subjects}`);
      assert.ok(subjects.includes(`${topic}-value`), `${topic}-value in ${subjects}`);
    }
    // A single key column is unwrapped; values and multi-column keys are ksqlDB's record of optional fields.
    assert.deepEqual(JSON.parse((await client.getVersion('votes_by_candidate-key')).schema), ['null', 'string']);
    const value = JSON.parse((await client.getVersion('votes_by_candidate-value')).schema);
    assert.equal(value.name, 'KsqlDataSourceSchema');
    assert.equal(value.namespace, 'io.confluent.ksql.avro_schemas');
    assert.deepEqual(value.fields, [{ name: 'VOTES', type: ['null', 'long'], default: null }]);
    const compositeKey = JSON.parse((await client.getVersion('votes_by_region_candidate-key')).schema);
    assert.deepEqual(
      compositeKey.fields.map((f: { name: string; type: unknown }) => [f.name, f.type]),
      [
        ['REGION', ['null', 'string']],
        ['CANDIDATE', ['null', 'string']],
      ],
    );

    await vote('v1', 'north', 'alice');
    await vote('v2', 'north', 'bob');
    await vote('v3', 'south', 'alice');
    const byCandidate = await readThroughConnect('votes_by_candidate');
    await until(() => byCandidate.get('"alice"')?.value !== undefined && byCandidate.size === 2, 'two candidates');
    const alice = byCandidate.get('"alice"');
    assert.deepEqual(alice?.keySchema, { type: 'STRING', optional: true });
    assert.deepEqual({ ...(alice?.value as object) }, { VOTES: 2 });
    const byRegion = await readThroughConnect('votes_by_region_candidate');
    await until(() => byRegion.size === 3, 'three region-candidate rows');
    assert.deepEqual(
      { ...(byRegion.get(JSON.stringify({ REGION: 'south', CANDIDATE: 'alice' }))?.value as object) },
      { VOTES: 1 },
    );

    // A source over a registered topic takes its columns from the registry.
    const described = await ksql(
      server,
      `CREATE STREAM candidate_updates WITH (KAFKA_TOPIC='votes_by_candidate', FORMAT='AVRO');
       DESCRIBE candidate_updates;`,
    );
    const fields = described[1].sourceDescription.fields.map((f: { name: string; schema: { type: string } }) => [
      f.name,
      f.schema.type,
    ]);
    assert.deepEqual(fields, [
      ['ROWKEY', 'STRING'],
      ['VOTES', 'BIGINT'],
    ]);

    // After a restart the replayed queries find their schema ids again and go on counting.
    await server.stop();
    await vote('v4', 'south', 'alice');
    server = await startServer(stateDir);
    await until(
      () => (byCandidate.get('"alice"')?.value as { VOTES?: number })?.VOTES === 3,
      'the count after the restart',
    );
    const versions = await client.listVersions('votes_by_candidate-value');
    assert.deepEqual(versions, [1]);
  } finally {
    await server.stop();
  }
});

test('JSON_SR sinks register a JSON schema per subject, as ksqlDB does, and Connect reads them with it', async () => {
  const server = await startServer(temporaryDir('tally-ksql-sr-json-'));
  try {
    await ksql(
      server,
      `CREATE STREAM sr_json_votes (voter_id STRING KEY, region STRING, candidate STRING)
         WITH (kafka_topic='sr_json_votes', value_format='JSON', partitions=1);
       CREATE TABLE json_by_candidate WITH (KAFKA_TOPIC='json_by_candidate', FORMAT='JSON_SR') AS
         SELECT candidate AS candidate_id, COUNT(*) AS votes, MAX(LEN(region)) AS longest FROM sr_json_votes
         GROUP BY candidate;`,
    );
    for (const [voter, region, candidate] of [
      ['v1', 'north', 'alice'],
      ['v2', 'south-east', 'alice'],
      ['v3', 'west', 'bob'],
    ]) {
      await producer?.send({
        topic: 'sr_json_votes',
        messages: [{ key: voter, value: JSON.stringify({ REGION: region, CANDIDATE: candidate }) }],
      });
    }
    const rows = await readThroughConnect('json_by_candidate', JSON_SCHEMA_CONVERTER);
    await until(() => (rows.get('"alice"')?.value as { VOTES?: number } | undefined)?.VOTES === 2, 'alice counted');
    const alice = rows.get('"alice"');
    assert.deepEqual({ ...(alice?.value as object) }, { VOTES: 2, LONGEST: 10 });
    // The registered schema says what JSON cannot: VOTES is a BIGINT (int64), LONGEST an INT (int32).
    const valueSchema = alice?.valueSchema as { fields: { name: string; schema: { type: string } }[] };
    assert.deepEqual(
      valueSchema.fields.map((f) => [f.name, f.schema.type]),
      [
        ['VOTES', 'INT64'],
        ['LONGEST', 'INT32'],
      ],
    );
    const client = new SchemaRegistryClient(registry.url);
    const registered = await client.getVersion('json_by_candidate-value');
    assert.equal(registered.schemaType, 'JSON');
    assert.deepEqual(JSON.parse(registered.schema).properties.VOTES, {
      oneOf: [{ type: 'null' }, { type: 'integer', 'connect.type': 'int64' }],
      'connect.index': 0,
    });
    assert.ok((await client.listSubjects()).includes('json_by_candidate-key'));
  } finally {
    await server.stop();
  }
});

test('AVRO with VALUE_SCHEMA_ID writes with that registered schema and its defaults, registering nothing', async () => {
  const client = new SchemaRegistryClient(registry.url);
  const writer = {
    type: 'record',
    name: 'Donation',
    fields: [
      { name: 'ID', type: 'string' },
      { name: 'NUM_VOTES', type: 'long', default: 10 },
    ],
  };
  const id = await client.register('sr_donations-value', JSON.stringify(writer));
  const server = await startServer(temporaryDir('tally-ksql-sr-id-'));
  try {
    await ksql(
      server,
      `CREATE STREAM donations WITH (kafka_topic='sr_donations', value_format='AVRO', value_schema_id=${id}, partitions=1);
       INSERT INTO donations (ID) VALUES ('abc');`,
    );
    const rows = await readThroughConnect('sr_donations');
    await until(() => rows.size === 1, 'the inserted row');
    const [row] = [...rows.values()];
    assert.deepEqual({ ...(row?.value as object) }, { ID: 'abc', NUM_VOTES: 10 });
    assert.deepEqual(await client.listVersions('sr_donations-value'), [1]);
  } finally {
    await server.stop();
  }
});

test('a server whose schema registry does not answer refuses to start, naming the URL', async () => {
  await assert.rejects(
    startKsqlRestServer({
      bootstrapServers: [broker.address],
      serviceId: 'no_registry_',
      stateDir: temporaryDir('tally-ksql-sr-'),
      host: '127.0.0.1',
      port: 0,
      logger: testLogger('ksql'),
      schemaRegistry: new SchemaRegistryClient('http://127.0.0.1:9'),
    }),
    /schema registry at http:\/\/127\.0\.0\.1:9 .* does not answer/,
  );
});
