import assert from 'node:assert/strict';
import { test } from 'node:test';
import { until } from '../../test/support/index.ts';
import { startTestKsqlServer } from '../../test/support/ksql.ts';
import { KsqlClient, KsqlClientError, KsqlInsertError } from './ksql-client.ts';
import { splitSql, substituteVariables } from './sql-statements.ts';

const { server } = await startTestKsqlServer();
const client = new KsqlClient({ url: server.url });

test('info, statements, errors with the entities before them, pull and push queries over HTTP/1.1', async () => {
  const info = await client.info();
  assert.equal(info.ksqlServiceId, 'default_');
  assert.match(info.version, /^\d+\.\d+\.\d+/);

  const created = await client.execute(
    "CREATE STREAM events (k STRING KEY, v INT) WITH (kafka_topic='client_events', value_format='JSON', partitions=1); CREATE TABLE totals AS SELECT k, SUM(v) AS total FROM events GROUP BY k;",
  );
  assert.deepEqual(
    created.map((e) => e['@type']),
    ['currentStatus', 'currentStatus'],
  );

  const failure = await client
    .execute('SHOW STREAMS; CREATE STREAM bad AS SELECT nope FROM events;')
    .catch((error: unknown) => error);
  assert.ok(failure instanceof KsqlClientError);
  assert.equal(failure.errorCode, 40001);
  assert.equal(failure.httpStatus, 400);
  assert.match(failure.statementText ?? '', /CREATE STREAM bad AS SELECT nope FROM events/);
  assert.equal(failure.entities[0]?.['@type'], 'streams');

  const push = await client.streamQuery('SELECT k, v FROM events EMIT CHANGES;');
  assert.deepEqual(push.header.columnNames, ['K', 'V']);
  await client.execute("INSERT INTO events (k, v) VALUES ('a', 1); INSERT INTO events (k, v) VALUES ('a', 2);");
  const seen: unknown[] = [];
  for await (const row of push.rows) {
    seen.push(row);
    if (seen.length === 2) break;
  }
  await push.close();
  assert.deepEqual(seen, [
    ['a', 1],
    ['a', 2],
  ]);

  await until(
    async () => (await client.query("SELECT total FROM totals WHERE k = 'a';")).rows[0]?.[0] === 3,
    'the total',
  );
  const pulled = await client.query("SELECT * FROM totals WHERE k = 'a';");
  assert.deepEqual(pulled.columnNames, ['K', 'TOTAL']);
  assert.deepEqual(pulled.rows, [['a', 3]]);

  const badQuery = await client.query('SELECT nope FROM totals;').catch((error: unknown) => error);
  assert.ok(badQuery instanceof KsqlClientError);
  assert.equal(badQuery.httpStatus, 400);

  const refused = await new KsqlClient({ url: 'http://127.0.0.1:1' }).info().catch((error: unknown) => error);
  assert.ok(refused instanceof KsqlClientError);
  assert.match(refused.message, /Failed to connect to http:\/\/127\.0\.0\.1:1\/info/);
  assert.throws(() => new KsqlClient({ url: 'not a url' }), /Invalid ksql server URL: not a url/);
});

test('insertsStream writes rows in order with their acks; a rejected row or target is an error', async () => {
  await client.execute(
    "CREATE STREAM inserted (k STRING KEY, v INT) WITH (kafka_topic='client_inserted', value_format='JSON', partitions=1);",
  );
  const push = await client.streamQuery('SELECT k, v FROM inserted EMIT CHANGES LIMIT 3;');
  const acks = await client.insertsStream('inserted', [
    { k: 'a', v: 1 },
    { K: 'b', V: 2 },
  ]);
  assert.deepEqual(acks, [
    { status: 'ok', seq: 0 },
    { status: 'ok', seq: 1 },
  ]);

  const rejected = await client
    .insertsStream('inserted', [
      { k: 'c', v: 3 },
      { k: 'd', v: 'not a number' },
      { k: 'e', v: 5 },
    ])
    .catch((error: unknown) => error);
  assert.ok(rejected instanceof KsqlInsertError, String(rejected));
  assert.equal(rejected.errorCode, 40000);
  assert.match(rejected.message, /^Row 1 was rejected: /);
  assert.deepEqual(
    rejected.acks.map((a) => [a.seq, a.status]),
    [
      [0, 'ok'],
      [1, 'error'],
      [2, 'ok'],
    ],
  );
  // The rows around the rejected one were written, in order.
  const seen: unknown[] = [];
  for await (const row of push.rows) seen.push(row);
  assert.deepEqual(seen, [
    ['a', 1],
    ['b', 2],
    ['c', 3],
  ]);

  const table = await client.insertsStream('totals', [{ k: 'x', total: 1 }]).catch((error: unknown) => error);
  assert.ok(table instanceof KsqlClientError);
  assert.ok(!(table instanceof KsqlInsertError));
  assert.equal(table.httpStatus, 400);
  assert.equal(table.message, 'Cannot insert into a table');
  const unknown = await client.insertsStream('nowhere', [{ k: 'x' }]).catch((error: unknown) => error);
  assert.ok(unknown instanceof KsqlClientError);
  assert.equal(unknown.httpStatus, 400);
  assert.match(unknown.message, /NOWHERE/i);
});

test('splitSql keeps quoted semicolons, drops comments and returns the unfinished rest', () => {
  assert.deepEqual(splitSql("SELECT ';' FROM a; -- x;\nSHOW /* ; */ STREAMS;\nDESCRIBE"), {
    statements: ["SELECT ';' FROM a;", 'SHOW   STREAMS;'],
    rest: '\nDESCRIBE',
    unclosed: null,
  });
  assert.equal(splitSql("SELECT 'abc").unclosed, "'");
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a ksqlDB variable reference
  assert.equal(substituteVariables("x = '${Name}', ${other}", new Map([['NAME', 'v']])), "x = 'v', ${other}");
});
