import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startTestBroker, type TestBroker } from '../../test/support/broker.ts';
import { temporaryDir, testLogger, until } from '../../test/support/index.ts';
import { KSQL_CONTENT_TYPE, type KsqlRestServer, startKsqlRestServer } from './app.ts';

// biome-ignore lint/suspicious/noExplicitAny: entities are checked field by field against ksqlDB's shapes.
type Answer = any;

let server: KsqlRestServer | undefined;
// Registered before the broker's own after() hook, so the server stops while the broker still answers.
after(async () => {
  await server?.stop();
});
const broker: TestBroker = await startTestBroker({ groupInitialRebalanceDelayMs: 0 });
const stateDir = temporaryDir('tally-ksql-statements-');

function start(): Promise<KsqlRestServer> {
  return startKsqlRestServer({
    bootstrapServers: [broker.address],
    serviceId: 'statements_',
    stateDir,
    host: '127.0.0.1',
    port: 0,
    logger: testLogger('ksql'),
    cacheMaxBytes: 0,
  });
}
server = await start();

async function ksql(sql: string): Promise<{ status: number; body: Answer }> {
  const response = await fetch(`${(server as KsqlRestServer).url}/ksql`, {
    method: 'POST',
    headers: { 'content-type': KSQL_CONTENT_TYPE, accept: KSQL_CONTENT_TYPE },
    body: JSON.stringify({ ksql: sql, streamsProperties: {} }),
  });
  return { status: response.status, body: await response.json() };
}

async function ok(sql: string): Promise<Answer[]> {
  const { status, body } = await ksql(sql);
  assert.equal(status, 200, JSON.stringify(body));
  return body;
}

const fieldList = (fields: { name: string; schema: { type: string }; type?: string }[]) =>
  fields.map((f) => [f.name, f.schema.type, f.type ?? 'VALUE']);

await ok(
  `CREATE STREAM votes (voter_id STRING KEY, candidate STRING) WITH (kafka_topic='st_votes', value_format='JSON', partitions=1);
   CREATE TABLE per_candidate AS SELECT candidate, COUNT(*) AS n FROM votes GROUP BY candidate;`,
);

test('EXPLAIN <query id> answers ksqlDB queryDescription entity, with its topology and host status', async () => {
  const host = `127.0.0.1:${(server as KsqlRestServer).port}`;
  let entity: Answer;
  await until(async () => {
    [entity] = await ok('EXPLAIN CTAS_PER_CANDIDATE_0;');
    return entity.queryDescription.state === 'RUNNING';
  }, 'the query running');
  assert.equal(entity['@type'], 'queryDescription');
  assert.match(entity.statementText, /^EXPLAIN CTAS_PER_CANDIDATE_0/);
  assert.deepEqual(entity.warnings, []);
  const q = entity.queryDescription;
  assert.equal(q.id, 'CTAS_PER_CANDIDATE_0');
  assert.match(q.statementText, /^CREATE TABLE per_candidate AS SELECT candidate, COUNT\(\*\) AS n FROM votes/);
  assert.equal(q.windowType, null);
  assert.deepEqual(fieldList(q.fields), [
    ['CANDIDATE', 'STRING', 'KEY'],
    ['N', 'BIGINT', 'VALUE'],
  ]);
  assert.deepEqual(q.sources, ['VOTES']);
  assert.deepEqual(q.sinks, ['PER_CANDIDATE']);
  assert.match(q.topology, /^Topologies:\n {3}Sub-topology: 0\n/);
  assert.match(q.topology, /Source: \S+ \(topics: \[st_votes\]\)/);
  assert.match(
    q.executionPlan,
    /^ > \[ SINK \] \| Schema: CANDIDATE STRING KEY, N BIGINT \| Logger: CTAS_PER_CANDIDATE_0\.PER_CANDIDATE\n/,
  );
  assert.match(
    q.executionPlan,
    /\t\t > \[ SOURCE \] \| Schema: VOTER_ID STRING KEY, CANDIDATE STRING \| Logger: CTAS_PER_CANDIDATE_0\.KsqlTopic\.Source$/,
  );
  assert.deepEqual(q.overriddenProperties, {});
  assert.deepEqual(q.ksqlHostQueryStatus, { [host]: 'RUNNING' });
  assert.equal(q.queryType, 'PERSISTENT');
  assert.deepEqual(q.queryErrors, []);
  assert.equal(q.consumerGroupId, '_confluent-ksql-statements_query_CTAS_PER_CANDIDATE_0');

  const unknown = await ksql('EXPLAIN NO_SUCH_QUERY;');
  assert.equal(unknown.status, 400);
  assert.equal(unknown.body['@type'], 'statement_error');
  assert.equal(unknown.body.error_code, 40001);
  assert.equal(
    unknown.body.message,
    'Query with id:NO_SUCH_QUERY does not exist, use SHOW QUERIES to view the full set of queries.',
  );
});

test('EXPLAIN <SELECT> describes the transient push query it would run; other statements answer 40001', async () => {
  const [pushed] = await ok(
    "EXPLAIN SELECT voter_id, UCASE(candidate) AS c FROM votes WHERE candidate <> 'x' EMIT CHANGES;",
  );
  assert.equal(pushed['@type'], 'queryDescription');
  const q = pushed.queryDescription;
  assert.match(q.id, /^transient_VOTES_/);
  assert.equal(q.queryType, 'PUSH');
  assert.match(q.statementText, /^SELECT voter_id, UCASE\(candidate\) AS c FROM votes/);
  // A transient query's columns are all value columns.
  assert.deepEqual(fieldList(q.fields), [
    ['VOTER_ID', 'STRING', 'VALUE'],
    ['C', 'STRING', 'VALUE'],
  ]);
  assert.deepEqual(q.sources, ['VOTES']);
  assert.deepEqual(q.sinks, []);
  assert.deepEqual(q.ksqlHostQueryStatus, {});
  assert.equal(q.state, null);
  assert.match(q.topology, /topics: \[st_votes\]/);

  // Without EMIT CHANGES too (ksqlDB explains it as the push query), and a stateful one.
  const [grouped] = await ok('EXPLAIN SELECT candidate, COUNT(*) FROM votes GROUP BY candidate;');
  assert.equal(grouped.queryDescription.queryType, 'PUSH');
  assert.deepEqual(fieldList(grouped.queryDescription.fields), [
    ['CANDIDATE', 'STRING', 'VALUE'],
    ['KSQL_COL_0', 'BIGINT', 'VALUE'],
  ]);
  assert.match(grouped.queryDescription.topology, /Processor: .*\(stores: \[.+\]\)/);
  // Nothing was started or registered by explaining.
  const [queries] = await ok('SHOW QUERIES;');
  assert.deepEqual(
    queries.queries.map((x: { id: string }) => x.id),
    ['CTAS_PER_CANDIDATE_0'],
  );

  const bad = await ksql('EXPLAIN SELECT nope FROM votes EMIT CHANGES;');
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error_code, 40001);
  assert.match(bad.body.message, /NOPE/);

  const created = await ksql('EXPLAIN CREATE STREAM copy AS SELECT * FROM votes;');
  assert.equal(created.status, 400);
  assert.equal(created.body.error_code, 40001);
  assert.match(created.body.message, /SELECT queries only/);
});

test('DESCRIBE ... EXTENDED lists the queries reading and writing the source', async () => {
  const [source, sink] = await ok('DESCRIBE votes EXTENDED; DESCRIBE per_candidate EXTENDED;');
  assert.equal(source['@type'], 'sourceDescription');
  assert.equal(source.sourceDescription.extended, true);
  assert.equal(source.sourceDescription.type, 'STREAM');
  assert.equal(source.sourceDescription.partitions, 1);
  assert.deepEqual(source.sourceDescription.writeQueries, []);
  const [reader] = source.sourceDescription.readQueries;
  assert.equal(reader.id, 'CTAS_PER_CANDIDATE_0');
  assert.equal(reader.state, 'RUNNING');
  assert.deepEqual(reader.sinks, ['PER_CANDIDATE']);
  assert.deepEqual(reader.sinkKafkaTopics, ['PER_CANDIDATE']);
  assert.equal(reader.queryType, 'PERSISTENT');
  assert.deepEqual(source.sourceDescription.sourceConstraints, ['PER_CANDIDATE']);
  assert.deepEqual(
    sink.sourceDescription.writeQueries.map((q: { id: string }) => q.id),
    ['CTAS_PER_CANDIDATE_0'],
  );
  assert.deepEqual(sink.sourceDescription.readQueries, []);
});

test('CREATE TYPE and SHOW TYPES, ALTER STREAM/TABLE ... ADD COLUMN, SHOW TOPICS and SHOW PROPERTIES', async () => {
  const [typed] = await ok('CREATE TYPE address AS STRUCT<street STRING, zip INT>;');
  assert.equal(typed['@type'], 'currentStatus');
  assert.equal(typed.commandId, 'type/ADDRESS/create');
  assert.equal(typed.commandStatus.status, 'SUCCESS');
  assert.match(typed.commandStatus.message, /^Registered custom type with name 'ADDRESS'/);
  const [types] = await ok('SHOW TYPES;');
  assert.equal(types['@type'], 'type_list');
  assert.deepEqual(types.types, {
    ADDRESS: {
      type: 'STRUCT',
      fields: [
        { name: 'STREET', schema: { type: 'STRING', fields: null, memberSchema: null } },
        { name: 'ZIP', schema: { type: 'INTEGER', fields: null, memberSchema: null } },
      ],
      memberSchema: null,
    },
  });

  const [, alteredStream, described] = await ok(
    `CREATE STREAM people (id STRING KEY, home ADDRESS) WITH (kafka_topic='st_people', value_format='JSON', partitions=2);
     ALTER STREAM people ADD COLUMN age INT;
     DESCRIBE people;`,
  );
  assert.equal(alteredStream['@type'], 'currentStatus');
  assert.equal(alteredStream.commandId, 'stream/PEOPLE/alter');
  assert.equal(alteredStream.commandStatus.status, 'SUCCESS');
  assert.deepEqual(fieldList(described.sourceDescription.fields), [
    ['ID', 'STRING', 'KEY'],
    ['HOME', 'STRUCT', 'VALUE'],
    ['AGE', 'INTEGER', 'VALUE'],
  ]);
  const [, alteredTable] = await ok(
    `CREATE TABLE things (id STRING PRIMARY KEY, x INT) WITH (kafka_topic='st_things', value_format='JSON', partitions=1);
     ALTER TABLE things ADD COLUMN y STRING, ADD COLUMN z DOUBLE;`,
  );
  assert.equal(alteredTable.commandId, 'table/THINGS/alter');
  const notDeclared = await ksql('ALTER TABLE per_candidate ADD COLUMN extra INT;');
  assert.equal(notDeclared.status, 400);
  assert.equal(notDeclared.body.error_code, 40001);
  assert.match(notDeclared.body.message, /ALTER command is not supported for CREATE \.\.\. AS statements/);

  const [topics] = await ok('SHOW TOPICS;');
  assert.equal(topics['@type'], 'kafka_topics');
  const byName = new Map(topics.topics.map((t: { name: string; replicaInfo: number[] }) => [t.name, t.replicaInfo]));
  assert.deepEqual(byName.get('st_people'), [1, 1]);
  assert.deepEqual(byName.get('st_votes'), [1]);
  assert.ok(byName.has('PER_CANDIDATE'));
  assert.ok(![...byName.keys()].some((name) => String(name).startsWith('_')), 'internal topics are hidden');

  const [properties] = await ok('SHOW PROPERTIES;');
  assert.equal(properties['@type'], 'properties');
  const props = new Map(properties.properties.map((p: { name: string; scope: string; value: string }) => [p.name, p]));
  assert.deepEqual(props.get('ksql.service.id'), { name: 'ksql.service.id', scope: 'KSQL', value: 'statements_' });
  assert.deepEqual(props.get('bootstrap.servers'), {
    name: 'bootstrap.servers',
    scope: 'KSQL',
    value: broker.address,
  });
  assert.ok(Array.isArray(properties.overwrittenProperties));
  assert.ok(Array.isArray(properties.defaultProperties));
});

test('SHOW FUNCTIONS lists the registry with type and category; DESCRIBE FUNCTION describes one', async () => {
  const [listed] = await ok('SHOW FUNCTIONS;');
  assert.equal(listed['@type'], 'function_names');
  const byName = new Map(
    listed.functions.map((f: { name: string; type: string; category: string }) => [f.name, [f.type, f.category]]),
  );
  assert.deepEqual(byName.get('UCASE'), ['SCALAR', 'STRING']);
  assert.deepEqual(byName.get('ABS'), ['SCALAR', 'MATHEMATICAL']);
  assert.deepEqual(byName.get('COUNT'), ['AGGREGATE', 'AGGREGATE']);
  assert.deepEqual(byName.get('LATEST_BY_OFFSET'), ['AGGREGATE', 'AGGREGATE']);
  assert.ok(listed.functions.length > 50, `${listed.functions.length} functions`);

  const [count] = await ok('DESCRIBE FUNCTION count;');
  assert.equal(count['@type'], 'describe_function');
  assert.equal(count.name, 'COUNT');
  assert.equal(count.type, 'AGGREGATE');
  assert.equal(count.path, 'internal');
  assert.ok(Array.isArray(count.functions));
  const [ucase] = await ok('DESCRIBE FUNCTION UCASE;');
  assert.equal(ucase.type, 'SCALAR');

  const missing = await ksql('DESCRIBE FUNCTION no_such_fn;');
  assert.equal(missing.status, 400);
  assert.equal(missing.body.error_code, 40001);
  assert.equal(missing.body.message, "Can't find any functions with the name 'NO_SUCH_FN'");
});

test('TERMINATE ALL stops every persistent query; GET /status lists every command, also after a restart', async () => {
  await ok("CREATE STREAM alice_votes AS SELECT * FROM votes WHERE candidate = 'alice';");
  const [terminated, queries] = await ok('TERMINATE ALL; SHOW QUERIES;');
  assert.equal(terminated['@type'], 'currentStatus');
  assert.equal(terminated.commandId, 'terminate/ALL/execute');
  assert.deepEqual(terminated.commandStatus, { status: 'SUCCESS', message: 'Query terminated.', queryId: null });
  assert.deepEqual(queries.queries, []);

  const expected = {
    'stream/VOTES/create': 'SUCCESS',
    'table/PER_CANDIDATE/create': 'SUCCESS',
    'type/ADDRESS/create': 'SUCCESS',
    'stream/PEOPLE/create': 'SUCCESS',
    'stream/PEOPLE/alter': 'SUCCESS',
    'table/THINGS/create': 'SUCCESS',
    'table/THINGS/alter': 'SUCCESS',
    'stream/ALICE_VOTES/create': 'SUCCESS',
    'terminate/ALL/execute': 'SUCCESS',
  };
  const status = async () => {
    const response = await fetch(`${(server as KsqlRestServer).url}/status`);
    assert.equal(response.status, 200);
    return (await response.json()) as Answer;
  };
  const before = await status();
  assert.deepEqual(before.commandStatuses, expected);

  const one = await fetch(`${(server as KsqlRestServer).url}/status/stream/VOTES/create`);
  assert.equal(one.status, 200);
  assert.deepEqual(await one.json(), { status: 'SUCCESS', message: 'Stream created' });
  const query = await fetch(`${(server as KsqlRestServer).url}/status/table/PER_CANDIDATE/create`);
  assert.deepEqual(await query.json(), { status: 'SUCCESS', message: 'Created query with ID CTAS_PER_CANDIDATE_0' });
  const missing = await fetch(`${(server as KsqlRestServer).url}/status/stream/NOWHERE/create`);
  assert.equal(missing.status, 404);
  const missingBody = (await missing.json()) as Answer;
  assert.equal(missingBody['@type'], 'generic_error');
  assert.equal(missingBody.error_code, 40400);
  assert.equal(missingBody.message, 'Command not found');

  // A restarted server knows the commands it replayed, and the terminated queries stay terminated.
  await (server as KsqlRestServer).stop();
  server = undefined;
  server = await start();
  assert.deepEqual((await status()).commandStatuses, expected);
  const [after] = await ok('SHOW QUERIES;');
  assert.deepEqual(after.queries, []);
});
