import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { type Consumer, Kafka, logLevel, type Producer } from 'kafkajs';
import { startTestBroker, type TestBroker } from '../../test/support/broker.ts';
import { temporaryDir, testLogger, until } from '../../test/support/index.ts';
import { KSQL_CONTENT_TYPE, type KsqlRestServer, startKsqlRestServer } from './app.ts';

const consumers: Consumer[] = [];
let producer: Producer | undefined;
// Registered before the broker's own after() hook, so the clients leave while it still answers.
after(async () => {
  for (const c of consumers) await c.disconnect();
  await producer?.disconnect();
});

// Top level, so the broker's after() hook stops it at the end of the file.
const broker: TestBroker = await startTestBroker({ groupInitialRebalanceDelayMs: 0 });
const kafka = new Kafka({ brokers: [broker.address], logLevel: logLevel.NOTHING });
producer = kafka.producer();
await producer.connect();

function startServer(stateDir: string, serviceId = 'default_'): Promise<KsqlRestServer> {
  return startKsqlRestServer({
    bootstrapServers: [broker.address],
    serviceId,
    stateDir,
    host: '127.0.0.1',
    port: 0,
    logger: testLogger('ksql'),
    cacheMaxBytes: 0,
  });
}

// biome-ignore lint/suspicious/noExplicitAny: entities are checked field by field against ksqlDB's shapes.
type Answer = any;

async function ksql(server: KsqlRestServer, sql: string): Promise<{ status: number; body: Answer; type: string }> {
  const response = await fetch(`${server.url}/ksql`, {
    method: 'POST',
    headers: { 'content-type': KSQL_CONTENT_TYPE, accept: KSQL_CONTENT_TYPE },
    body: JSON.stringify({ ksql: sql, streamsProperties: {} }),
  });
  return { status: response.status, body: await response.json(), type: response.headers.get('content-type') ?? '' };
}

/** Every committed record of `topic`, as `key -> values in order`. */
async function collect(topic: string): Promise<Map<string, unknown[]>> {
  const seen = new Map<string, unknown[]>();
  const consumer = kafka.consumer({ groupId: `reader-${topic}-${Date.now()}`, readUncommitted: false });
  consumers.push(consumer);
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const key = message.key?.toString() ?? '';
      const list = seen.get(key) ?? [];
      list.push(message.value === null ? null : JSON.parse(message.value.toString()));
      seen.set(key, list);
    },
  });
  return seen;
}

async function vote(voter: string, candidate: string): Promise<void> {
  await producer?.send({ topic: 'votes', messages: [{ key: voter, value: JSON.stringify({ CANDIDATE: candidate }) }] });
}

test('a CTAS counting by key runs on Kafka, is listed and described, and resumes from the command topic after a restart', async () => {
  const stateDir = temporaryDir('tally-ksql-');
  let server = await startServer(stateDir);
  try {
    const created = await ksql(
      server,
      `CREATE STREAM votes (voter_id STRING KEY, candidate STRING) WITH (kafka_topic='votes', value_format='JSON', partitions=1);
       CREATE TABLE per_candidate AS SELECT candidate, COUNT(*) AS n FROM votes GROUP BY candidate;`,
    );
    assert.equal(created.status, 200, JSON.stringify(created.body));
    assert.ok(created.type.startsWith(KSQL_CONTENT_TYPE));
    assert.equal(created.body.length, 2);
    assert.equal(created.body[0]['@type'], 'currentStatus');
    assert.equal(created.body[0].commandId, 'stream/VOTES/create');
    assert.deepEqual(created.body[0].commandStatus, { status: 'SUCCESS', message: 'Stream created', queryId: null });
    assert.equal(created.body[0].commandSequenceNumber, 0);
    assert.equal(created.body[1].commandId, 'table/PER_CANDIDATE/create');
    assert.equal(created.body[1].commandStatus.queryId, 'CTAS_PER_CANDIDATE_0');
    assert.equal(created.body[1].commandSequenceNumber, 1);

    const counts = await collect('PER_CANDIDATE');
    for (const [voter, candidate] of [
      ['v1', 'alice'],
      ['v2', 'bob'],
      ['v3', 'alice'],
    ])
      await vote(voter!, candidate!);
    await until(() => counts.get('alice')?.length === 2 && counts.get('bob')?.length === 1, 'the first counts');
    assert.deepEqual(counts.get('alice'), [{ N: 1 }, { N: 2 }]);

    // A record that is not JSON is skipped into the processing log; the query goes on.
    await producer?.send({ topic: 'votes', messages: [{ key: 'v0', value: 'not json' }] });
    const log = server.server.engine.processingLog.records;
    await until(() => log.length > 0, 'the processing log entry');
    assert.equal(log[0]?.queryId, 'CTAS_PER_CANDIDATE_0');
    assert.equal(log[0]?.kind, 'deserialization');
    assert.equal(log[0]?.topic, 'votes');
    assert.equal(log[0]?.offset, 3);
    // ... and on the processing log topic in ksqlDB's shape, which the KSQL_PROCESSING_LOG stream reads.
    const logTopic = await collect('default_ksql_processing_log');
    await until(() => (logTopic.get('')?.length ?? 0) > 0, 'the processing log record');
    const entry = logTopic.get('')?.[0] as Answer;
    assert.equal(entry.level, 'ERROR');
    assert.equal(entry.logger, 'processing.CTAS_PER_CANDIDATE_0.KsqlTopic.Source.deserializer');
    assert.equal(entry.message.type, 0);
    assert.equal(entry.message.deserializationError.topic, 'votes');
    assert.equal(entry.message.deserializationError.target, 'value');
    assert.equal(entry.message.recordProcessingError, null);

    const listed = await ksql(server, 'SHOW STREAMS; SHOW TABLES; LIST QUERIES; DESCRIBE per_candidate;');
    assert.equal(listed.status, 200, JSON.stringify(listed.body));
    const [streams, tables, queries, described] = listed.body;
    assert.deepEqual(streams.streams, [
      {
        type: 'STREAM',
        name: 'KSQL_PROCESSING_LOG',
        topic: 'default_ksql_processing_log',
        keyFormat: 'KAFKA',
        valueFormat: 'JSON',
        isWindowed: false,
      },
      { type: 'STREAM', name: 'VOTES', topic: 'votes', keyFormat: 'KAFKA', valueFormat: 'JSON', isWindowed: false },
    ]);
    assert.equal(tables['@type'], 'tables');
    assert.equal(tables.tables[0].name, 'PER_CANDIDATE');
    assert.equal(queries['@type'], 'queries');
    assert.equal(queries.queries[0].id, 'CTAS_PER_CANDIDATE_0');
    assert.equal(queries.queries[0].state, 'RUNNING');
    assert.deepEqual(queries.queries[0].sinkKafkaTopics, ['PER_CANDIDATE']);
    assert.equal(described['@type'], 'sourceDescription');
    assert.deepEqual(
      described.sourceDescription.fields.map((f: { name: string; schema: { type: string }; type?: string }) => [
        f.name,
        f.schema.type,
        f.type ?? 'VALUE',
      ]),
      [
        ['CANDIDATE', 'STRING', 'KEY'],
        ['N', 'BIGINT', 'VALUE'],
      ],
    );
    assert.equal(described.sourceDescription.writeQueries[0].id, 'CTAS_PER_CANDIDATE_0');
    assert.equal(described.sourceDescription.partitions, 1);

    // Stopped mid-stream: votes produced while it is down are counted once after the restart.
    await server.stop();
    await vote('v4', 'alice');
    await vote('v5', 'bob');
    server = await startServer(stateDir);
    await until(() => counts.get('alice')?.length === 3 && counts.get('bob')?.length === 2, 'the counts after restart');
    await vote('v6', 'alice');
    await until(() => counts.get('alice')?.length === 4, 'a count after restart');
    assert.deepEqual(counts.get('alice'), [{ N: 1 }, { N: 2 }, { N: 3 }, { N: 4 }]);
    assert.deepEqual(counts.get('bob'), [{ N: 1 }, { N: 2 }]);

    // The replayed metastore keeps its query counter: the next id does not clash.
    const more = await ksql(server, `CREATE STREAM alice_votes AS SELECT * FROM votes WHERE candidate = 'alice';`);
    assert.equal(more.status, 200, JSON.stringify(more.body));
    assert.equal(more.body[0].commandStatus.queryId, 'CSAS_ALICE_VOTES_1');
    assert.equal(more.body[0].commandSequenceNumber, 2);
    const terminated = await ksql(server, 'TERMINATE CSAS_ALICE_VOTES_1; SHOW QUERIES;');
    assert.equal(terminated.body[0].commandId, 'terminate/CSAS_ALICE_VOTES_1/execute');
    assert.deepEqual(
      terminated.body[1].queries.map((q: { id: string }) => q.id),
      ['CTAS_PER_CANDIDATE_0'],
    );
  } finally {
    await server.stop();
  }
});

test('errors answer ksqlDB shapes: statement_error 40001 with the entities before it, 40002 for a SELECT, 40000 for a bad body', async () => {
  // Its own service id, hence its own command topic: it does not see the other test's streams.
  const server = await startServer(temporaryDir('tally-ksql-'), 'errors_');
  try {
    const missing = await ksql(
      server,
      `CREATE STREAM ok_stream (a INT) WITH (kafka_topic='ok_topic', value_format='JSON', partitions=1);
       CREATE STREAM s (a INT) WITH (kafka_topic='no_such_topic', value_format='JSON');`,
    );
    assert.equal(missing.status, 400);
    assert.equal(missing.body['@type'], 'statement_error');
    assert.equal(missing.body.error_code, 40001);
    assert.match(missing.body.message, /Topic 'no_such_topic' does not exist/);
    assert.match(missing.body.statementText, /CREATE STREAM s/);
    assert.equal(missing.body.entities.length, 1);
    assert.equal(missing.body.entities[0].commandId, 'stream/OK_STREAM/create');

    const syntax = await ksql(server, 'CREATE STREAM (;');
    assert.equal(syntax.status, 400);
    assert.equal(syntax.body.error_code, 40001);
    assert.match(syntax.body.message, /Syntax Error/);

    const select = await ksql(server, 'SELECT * FROM ok_stream EMIT CHANGES;');
    assert.equal(select.status, 400);
    assert.equal(select.body.error_code, 40002);

    const unknown = await ksql(server, 'DESCRIBE nothing_here;');
    assert.equal(unknown.body.error_code, 40001);
    assert.match(unknown.body.message, /Could not find STREAM\/TABLE 'NOTHING_HERE'/);

    const bad = await fetch(`${server.url}/ksql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sql: 'oops' }),
    });
    assert.equal(bad.status, 400);
    const badBody = (await bad.json()) as { '@type': string; error_code: number };
    assert.equal(badBody['@type'], 'generic_error');
    assert.equal(badBody.error_code, 40000);

    const dropped = await ksql(server, 'DROP STREAM ok_stream DELETE TOPIC; SHOW STREAMS;');
    assert.equal(dropped.body[0].commandId, 'stream/OK_STREAM/drop');
    // The processing log stream is defined on start, as ksqlDB does, and stays.
    assert.deepEqual(
      dropped.body[1].streams.map((x: { name: string; topic: string }) => [x.name, x.topic]),
      [['KSQL_PROCESSING_LOG', 'errors_ksql_processing_log']],
    );
    const admin = kafka.admin();
    await admin.connect();
    await until(async () => !(await admin.listTopics()).includes('ok_topic'), 'ok_topic deleted');
    await admin.disconnect();

    const info = (await (await fetch(`${server.url}/info`)).json()) as { KsqlServerInfo: Record<string, string> };
    assert.equal(info.KsqlServerInfo.ksqlServiceId, 'errors_');
    assert.equal(info.KsqlServerInfo.serverStatus, 'RUNNING');
    const health = await fetch(`${server.url}/healthcheck`, { headers: { accept: 'application/json' } });
    assert.equal(health.status, 200);
    assert.ok(health.headers.get('content-type')?.startsWith('application/json'));
    assert.equal(((await health.json()) as { isHealthy: boolean }).isHealthy, true);
  } finally {
    await server.stop();
  }
});
