import assert from 'node:assert/strict';
import http2 from 'node:http2';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { startTestBroker, type TestBroker } from '../../test/support/broker.ts';
import { temporaryDir, testLogger, until } from '../../test/support/index.ts';
import { KSQL_CONTENT_TYPE, type KsqlRestServer, startKsqlRestServer } from './app.ts';

// biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field against ksqlDB's shapes.
type Answer = any;

const DELIMITED = 'application/vnd.ksqlapi.delimited.v1';

let producer: Producer | undefined;
let server: KsqlRestServer | undefined;
after(async () => {
  await server?.stop();
  await producer?.disconnect();
});

// Top level, so the broker's after() hook stops it at the end of the file (after the hook above).
const broker: TestBroker = await startTestBroker({ groupInitialRebalanceDelayMs: 0 });
const kafka = new Kafka({ brokers: [broker.address], logLevel: logLevel.NOTHING });
producer = kafka.producer();
await producer.connect();

function start(serviceId: string, basicAuthUsers?: Record<string, string>): Promise<KsqlRestServer> {
  return startKsqlRestServer({
    bootstrapServers: [broker.address],
    serviceId,
    stateDir: temporaryDir('tally-ksql-q-'),
    host: '127.0.0.1',
    port: 0,
    logger: testLogger('ksql'),
    cacheMaxBytes: 0,
    ...(basicAuthUsers && { basicAuthUsers }),
  });
}

function url(path: string): string {
  return `${(server as KsqlRestServer).url}${path}`;
}

async function ksql(sql: string): Promise<Answer> {
  const response = await fetch(url('/ksql'), {
    method: 'POST',
    headers: { 'content-type': KSQL_CONTENT_TYPE, accept: KSQL_CONTENT_TYPE },
    body: JSON.stringify({ ksql: sql, streamsProperties: {} }),
  });
  const body = await response.json();
  assert.equal(response.status, 200, JSON.stringify(body));
  return body;
}

/** A pull query over /query-stream, delimited: the header and the rows. */
async function pull(sql: string, accept = DELIMITED): Promise<{ status: number; header: Answer; rows: Answer[] }> {
  const response = await fetch(url('/query-stream'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept },
    body: JSON.stringify({ sql, properties: {} }),
  });
  const text = await response.text();
  if (response.status !== 200) return { status: response.status, header: JSON.parse(text), rows: [] };
  if (accept === 'application/json') {
    const [header, ...rows] = JSON.parse(text);
    return { status: 200, header, rows };
  }
  const [header, ...rows] = text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));
  return { status: 200, header, rows };
}

/** An open streaming response: its text so far, read as it arrives. */
interface OpenStream {
  status: number;
  text: string;
  ended: boolean;
  lines(): Answer[];
  cancel(): Promise<void>;
}

async function open(path: string, body: unknown, accept = DELIMITED): Promise<OpenStream> {
  const controller = new AbortController();
  const response = await fetch(url(path), {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept },
    body: JSON.stringify(body),
    signal: controller.signal,
  });
  const stream: OpenStream = {
    status: response.status,
    text: '',
    ended: false,
    lines: () =>
      stream.text
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l)),
    cancel: async () => controller.abort(),
  };
  const decoder = new TextDecoder();
  void (async () => {
    try {
      for await (const chunk of response.body as AsyncIterable<Uint8Array>) stream.text += decoder.decode(chunk);
    } catch {
      // aborted
    }
    stream.ended = true;
  })();
  return stream;
}

async function vote(voter: string, candidate: string): Promise<void> {
  await producer?.send({ topic: 'votes', messages: [{ key: voter, value: JSON.stringify({ CANDIDATE: candidate }) }] });
}

before(async () => {
  server = await start('default_');
  await ksql(
    `CREATE STREAM votes (voter_id STRING KEY, candidate STRING) WITH (kafka_topic='votes', value_format='JSON', partitions=1);
     CREATE TABLE per_candidate AS SELECT candidate, COUNT(*) AS n FROM votes GROUP BY candidate;
     CREATE TABLE hourly AS SELECT candidate, COUNT(*) AS n FROM votes WINDOW TUMBLING (SIZE 1 HOUR) GROUP BY candidate;
     CREATE TABLE plain_table (id STRING PRIMARY KEY, x INT) WITH (kafka_topic='plain', value_format='JSON', partitions=1);`,
  );
  for (const [voter, candidate] of [
    ['v1', 'alice'],
    ['v2', 'bob'],
    ['v3', 'alice'],
    ['v4', 'carol'],
    ['v5', 'dave'],
  ])
    await vote(voter as string, candidate as string);
});

test('pull queries by key answer from the materialized table, delimited and as JSON', async () => {
  await until(
    async () => (await pull("SELECT * FROM per_candidate WHERE candidate = 'dave';")).rows.length === 1,
    'the counts',
  );
  await until(
    async () => (await pull("SELECT * FROM per_candidate WHERE candidate = 'alice';")).rows[0]?.[1] === 2,
    'alice 2',
  );
  const byKey = await pull("SELECT * FROM per_candidate WHERE candidate = 'alice';");
  assert.equal(byKey.status, 200);
  assert.deepEqual(byKey.header.columnNames, ['CANDIDATE', 'N']);
  assert.deepEqual(byKey.header.columnTypes, ['STRING', 'BIGINT']);
  assert.equal(typeof byKey.header.queryId, 'string');
  assert.deepEqual(byKey.rows, [['alice', 2]]);

  const json = await pull(
    "SELECT n, candidate AS who FROM per_candidate WHERE candidate IN ('bob', 'nobody');",
    'application/json',
  );
  assert.deepEqual(json.header.columnNames, ['N', 'WHO']);
  assert.deepEqual(json.rows, [[1, 'bob']]);

  const missing = await pull("SELECT * FROM per_candidate WHERE candidate = 'nobody';");
  assert.deepEqual(missing.rows, []);
});

test('pull queries on a key range and on other columns scan with the filter', async () => {
  const range = await pull("SELECT candidate FROM per_candidate WHERE candidate >= 'b' AND candidate < 'd';");
  assert.deepEqual(range.rows.map((r) => r[0]).sort(), ['bob', 'carol']);
  const filtered = await pull('SELECT candidate, n FROM per_candidate WHERE n > 1;');
  assert.deepEqual(filtered.rows, [['alice', 2]]);
  const all = await pull('SELECT * FROM per_candidate;');
  assert.equal(all.rows.length, 4);
  const limited = await pull('SELECT * FROM per_candidate LIMIT 2;');
  assert.equal(limited.rows.length, 2);
});

test('pull queries on a windowed table show the window bounds after the key', async () => {
  await until(
    async () => (await pull("SELECT * FROM hourly WHERE candidate = 'alice';")).rows[0]?.[3] === 2,
    'alice 2',
  );
  const { header, rows } = await pull("SELECT * FROM hourly WHERE candidate = 'alice';");
  assert.deepEqual(header.columnNames, ['CANDIDATE', 'WINDOWSTART', 'WINDOWEND', 'N']);
  assert.deepEqual(header.columnTypes, ['STRING', 'BIGINT', 'BIGINT', 'BIGINT']);
  const [candidate, start, end] = rows[0];
  assert.equal(candidate, 'alice');
  assert.equal(end - start, 3_600_000);
  assert.equal(start % 3_600_000, 0);
  const bounded = await pull(`SELECT n FROM hourly WHERE candidate = 'alice' AND WINDOWSTART >= ${start};`);
  assert.deepEqual(bounded.rows, [[2]]);
  const before = await pull(`SELECT n FROM hourly WHERE candidate = 'alice' AND WINDOWSTART < ${start};`);
  assert.deepEqual(before.rows, []);
});

test('pull queries on a stream scan its topic as it is now, with the filter and LIMIT', async () => {
  const all = await pull("SELECT voter_id, candidate FROM votes WHERE voter_id IN ('v1', 'v2', 'v3', 'v4', 'v5');");
  assert.equal(all.status, 200, JSON.stringify(all.header));
  assert.deepEqual(all.header.columnNames, ['VOTER_ID', 'CANDIDATE']);
  assert.deepEqual(all.rows, [
    ['v1', 'alice'],
    ['v2', 'bob'],
    ['v3', 'alice'],
    ['v4', 'carol'],
    ['v5', 'dave'],
  ]);
  const filtered = await pull("SELECT voter_id FROM votes WHERE candidate = 'alice' LIMIT 1;", 'application/json');
  assert.deepEqual(filtered.rows, [['v1']]);
});

test('pull queries ksqlDB rejects answer its errors', async () => {
  const grouped = await pull('SELECT candidate, COUNT(*) FROM votes GROUP BY candidate;');
  assert.equal(grouped.status, 400);
  assert.equal(grouped.header.error_code, 40001);
  assert.match(
    grouped.header.message,
    /^Pull queries don't support GROUP BY clauses\. See https:\/\/cnfl\.io\/queries/,
  );
  const plain = await pull('SELECT * FROM plain_table;');
  assert.equal(plain.status, 400);
  assert.match(
    plain.header.message,
    /The `PLAIN_TABLE` table isn't queryable\. To derive a queryable table, you can do 'CREATE TABLE QUERYABLE_PLAIN_TABLE AS SELECT \* FROM PLAIN_TABLE'\./,
  );
  const unknown = await pull('SELECT * FROM nothing_here;');
  assert.equal(unknown.status, 400);
  assert.match(unknown.header.message, /NOTHING_HERE does not exist/);
  const pseudo = await pull('SELECT ROWOFFSET FROM per_candidate;');
  assert.match(pseudo.header.message, /Pull queries don't support the following columns in SELECT clauses: ROWOFFSET/);
  const notQuery = await pull('SHOW STREAMS;');
  assert.equal(notQuery.status, 400);
});

test('push queries receive rows as records arrive, from latest; LIMIT ends them', async () => {
  const stream = await open('/query-stream', {
    sql: "SELECT voter_id, UCASE(candidate) AS c FROM votes WHERE candidate <> 'skip' EMIT CHANGES LIMIT 2;",
    properties: {},
  });
  assert.equal(stream.status, 200);
  await until(() => stream.lines().length === 1, 'the header');
  const [header] = stream.lines();
  assert.match(header.queryId, /^transient_VOTES_/);
  assert.deepEqual(header.columnNames, ['VOTER_ID', 'C']);
  assert.deepEqual(header.columnTypes, ['STRING', 'STRING']);
  await vote('p1', 'erin');
  await vote('p2', 'skip');
  await vote('p3', 'frank');
  await until(() => stream.ended, 'the end at LIMIT');
  assert.deepEqual(stream.lines().slice(1), [
    ['p1', 'ERIN'],
    ['p3', 'FRANK'],
  ]);
});

test('push queries with GROUP BY run a topology of their own, in the order of the SELECT', async () => {
  const stream = await open('/query-stream', {
    sql: "SELECT COUNT(*) AS n, candidate FROM votes WHERE candidate LIKE 'k%' GROUP BY candidate EMIT CHANGES LIMIT 3;",
  });
  assert.equal(stream.status, 200, stream.text);
  await until(() => stream.lines().length === 1, 'the header');
  assert.deepEqual(stream.lines()[0].columnNames, ['N', 'CANDIDATE']);
  assert.deepEqual(stream.lines()[0].columnTypes, ['BIGINT', 'STRING']);
  await vote('k1', 'kim');
  await vote('k2', 'lee');
  await vote('k3', 'kim');
  await vote('k4', 'kai');
  await until(() => stream.ended, 'the end at LIMIT');
  assert.deepEqual(stream.lines().slice(1), [
    [1, 'kim'],
    [2, 'kim'],
    [1, 'kai'],
  ]);
  assert.equal((server as KsqlRestServer).streaming.queries.runningCount, 0);
  // Unlike a persistent query, a transient one need not select its key.
  const keyless = (server as KsqlRestServer).streaming.queries.prepare(
    'SELECT COUNT(*) AS n FROM votes GROUP BY candidate EMIT CHANGES;',
  );
  assert.deepEqual(keyless.query.columnNames, ['N']);
});

test('a push query joining a stream with a table reads both sources', async () => {
  const stream = await open('/query-stream', {
    sql: "SELECT v.voter_id, c.n FROM votes v LEFT JOIN per_candidate c ON v.candidate = c.candidate WHERE v.voter_id LIKE 'j%' EMIT CHANGES LIMIT 1;",
  });
  await until(() => stream.ended || stream.lines().length > 0, 'an answer');
  assert.equal(stream.status, 200, stream.text);
  await until(() => stream.lines().length === 1, 'the header');
  assert.deepEqual(stream.lines()[0].columnNames, ['VOTER_ID', 'N']);
  await vote('j1', 'zed');
  await until(() => stream.ended, 'the end at LIMIT');
  // The table is read from latest too, so the new candidate's count has not joined yet.
  assert.deepEqual(stream.lines().slice(1), [['j1', null]]);
});

test("a push query over a join reports its source records' own partitions and offsets", async () => {
  await ksql(
    `CREATE STREAM jleft (k STRING KEY, a INT) WITH (kafka_topic='jleft', value_format='JSON', partitions=3);
     CREATE STREAM jright (k STRING KEY, b INT) WITH (kafka_topic='jright', value_format='JSON', partitions=3);`,
  );
  const send = (topic: string, partition: number, key: string, value: unknown) =>
    producer?.send({ topic, messages: [{ key, value: JSON.stringify(value), partition }] });
  // Records in other partitions first: a driver's own numbering would give x partition 0 and offset 1.
  await send('jleft', 0, 'y', { A: 0 });
  await send('jleft', 2, 'x', { A: 1 });
  await send('jright', 1, 'y', { B: 0 });
  await send('jright', 2, 'z', { B: 1 });
  await send('jright', 2, 'x', { B: 2 });
  const stream = await open('/query-stream', {
    sql: "SELECT l.k, l.ROWPARTITION, l.ROWOFFSET, r.ROWPARTITION, r.ROWOFFSET FROM jleft l JOIN jright r WITHIN 1 HOUR ON l.k = r.k WHERE l.k = 'x' EMIT CHANGES LIMIT 1;",
    properties: { 'auto.offset.reset': 'earliest' },
  });
  await until(() => stream.ended, 'the joined row');
  assert.equal(stream.status, 200, stream.text);
  assert.deepEqual(stream.lines().slice(1), [['x', 2, 0, 2, 1]]);
});

test('push queries from earliest, on a table, over /query with its final message', async () => {
  const earliest = await open('/query-stream', {
    sql: 'SELECT * FROM votes EMIT CHANGES LIMIT 3;',
    properties: { 'auto.offset.reset': 'earliest' },
  });
  await until(() => earliest.ended, 'three rows from the start');
  assert.deepEqual(earliest.lines().slice(1), [
    ['v1', 'alice'],
    ['v2', 'bob'],
    ['v3', 'alice'],
  ]);

  const older = await open(
    '/query',
    { ksql: "SELECT * FROM per_candidate WHERE candidate = 'gina' EMIT CHANGES LIMIT 2;", streamsProperties: {} },
    'application/json',
  );
  assert.equal(older.status, 200);
  await until(() => older.text.includes('"header"'), 'the header');
  await vote('g1', 'gina');
  await vote('g2', 'gina');
  await until(() => older.ended, 'the end at LIMIT');
  const body = JSON.parse(older.text);
  // A push query's header marks no key column, as ksqlDB's (pull queries' do).
  assert.equal(body[0].header.schema, '`CANDIDATE` STRING, `N` BIGINT');
  assert.deepEqual(body[1], { row: { columns: ['gina', 1] } });
  assert.deepEqual(body[2], { row: { columns: ['gina', 2] } });
  assert.deepEqual(body[3], { finalMessage: 'Limit Reached' });
});

test('/close-query ends a push query; a client going away ends it too', async () => {
  const stream = await open('/query-stream', { sql: 'SELECT * FROM votes EMIT CHANGES;' }, 'application/json');
  await until(() => stream.text.startsWith('[{'), 'the header');
  const queryId = JSON.parse(`${stream.text}]`)[0].queryId;
  const queries = (server as KsqlRestServer).streaming.queries;
  assert.equal(queries.runningCount, 1);
  await vote('c1', 'hank');
  await until(() => stream.text.includes('hank'), 'a row');
  const closed = await fetch(url('/close-query'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ queryId }),
  });
  assert.equal(closed.status, 200);
  await until(() => stream.ended, 'the response end');
  assert.deepEqual(JSON.parse(stream.text), [
    { queryId, columnNames: ['VOTER_ID', 'CANDIDATE'], columnTypes: ['STRING', 'STRING'] },
    ['c1', 'hank'],
  ]);
  const unknown = await fetch(url('/close-query'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ queryId }),
  });
  assert.equal(unknown.status, 400);

  const gone = await open('/query-stream', { sql: 'SELECT * FROM votes EMIT CHANGES;' });
  await until(() => gone.lines().length === 1, 'the header');
  assert.equal(queries.runningCount, 1);
  await gone.cancel();
  await until(() => queries.runningCount === 0, 'the query closed with its client');
});

test('/inserts-stream acknowledges each row, reports a bad row without closing, and the rows reach queries', async () => {
  const push = await open('/query-stream', { sql: "SELECT * FROM votes WHERE voter_id LIKE 'i%' EMIT CHANGES;" });
  await until(() => push.lines().length === 1, 'the header');
  const response = await fetch(url('/inserts-stream'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: [
      JSON.stringify({ target: 'votes' }),
      JSON.stringify({ voter_id: 'i1', candidate: 'ivy' }),
      JSON.stringify({ VOTER_ID: 'i2', CANDIDATE: ['not', 'a', 'string'], NOPE: 1 }),
      JSON.stringify({ voter_id: 'i3', candidate: 'ivy' }),
    ].join('\n'),
  });
  assert.equal(response.status, 200);
  const acks = (await response.text())
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));
  assert.deepEqual(acks[0], { status: 'ok', seq: 0 });
  assert.equal(acks[1].status, 'error');
  assert.equal(acks[1].seq, 1);
  assert.equal(acks[1].error_code, 40000);
  assert.deepEqual(acks[2], { status: 'ok', seq: 2 });
  await until(() => push.lines().length === 3, 'the inserted rows');
  assert.deepEqual(push.lines().slice(1), [
    ['i1', 'ivy'],
    ['i3', 'ivy'],
  ]);
  await push.cancel();
  await until(
    async () => (await pull("SELECT * FROM per_candidate WHERE candidate = 'ivy';")).rows[0]?.[1] === 2,
    'ivy 2',
  );

  const table = await fetch(url('/inserts-stream'), {
    method: 'POST',
    body: `${JSON.stringify({ target: 'per_candidate' })}\n`,
  });
  assert.equal(table.status, 400);
  assert.equal(((await table.json()) as Answer).message, 'Cannot insert into a table');
});

test('HTTP/2 with prior knowledge and HTTP/1.1 on the same port', async () => {
  const client = http2.connect((server as KsqlRestServer).url);
  try {
    const request = (path: string, body: unknown, accept = DELIMITED) =>
      new Promise<{ status: number; text: string }>((resolve, reject) => {
        const stream = client.request({
          ':method': body === null ? 'GET' : 'POST',
          ':path': path,
          accept,
          'content-type': 'application/json',
        });
        let status = 0;
        let text = '';
        stream.setEncoding('utf8');
        stream.on('response', (headers) => (status = Number(headers[':status'])));
        stream.on('data', (chunk) => (text += chunk));
        stream.on('end', () => resolve({ status, text }));
        stream.on('error', reject);
        stream.end(body === null ? undefined : JSON.stringify(body));
      });
    const pulled = await request('/query-stream', { sql: "SELECT * FROM per_candidate WHERE candidate = 'bob';" });
    assert.equal(pulled.status, 200);
    const lines = pulled.text.trim().split('\n');
    assert.deepEqual(JSON.parse(lines[1] as string), ['bob', 1]);
    const info = await request('/info', null, 'application/json');
    assert.equal(info.status, 200);
    assert.equal(JSON.parse(info.text).KsqlServerInfo.ksqlServiceId, 'default_');
    const listed = await request('/ksql', { ksql: 'SHOW STREAMS;' }, 'application/json');
    assert.equal(listed.status, 200, listed.text);
    assert.equal(JSON.parse(listed.text)[0]['@type'], 'streams');
  } finally {
    client.close();
  }
  const overHttp1 = await fetch(url('/info'));
  assert.equal(overHttp1.status, 200);
});

test('the ksqldb-client package runs a statement, a pull query, a push query and an insert', async () => {
  const KsqldbClient = createRequire(import.meta.url)('ksqldb-client');
  const client = new KsqldbClient({ host: 'http://127.0.0.1', port: (server as KsqlRestServer).port });
  await client.connect();
  try {
    const statement = await client.executeStatement(
      "CREATE STREAM client_votes (id STRING KEY, who STRING) WITH (kafka_topic='client_votes', value_format='JSON', partitions=1);",
    );
    assert.equal(statement.status, 200, JSON.stringify(statement.error));
    await client.executeStatement(
      'CREATE TABLE client_counts AS SELECT who, COUNT(*) AS n FROM client_votes GROUP BY who;',
    );

    const rows: Answer[] = [];
    let queryId: string | undefined;
    const pushed = client.streamQuery('SELECT * FROM client_votes EMIT CHANGES LIMIT 1;', (data: Answer) => {
      queryId = data.metadata?.queryId;
      rows.push(...(data.rows ?? []));
    });
    await until(() => queryId !== undefined, 'the push query header');
    const inserted = await client.insertInto('client_votes', { id: 'k1', who: 'jo' });
    assert.equal(inserted.status, 200, JSON.stringify(inserted.error));
    assert.deepEqual(inserted.data.rows, [{ status: 'ok', seq: 0 }]);
    const done = await pushed;
    assert.equal(done.status, 200);
    assert.deepEqual(rows, [{ ID: 'k1', WHO: 'jo' }]);

    await until(async () => {
      const { data } = await client.query("SELECT * FROM client_counts WHERE who = 'jo';");
      return data?.rows?.length === 1;
    }, 'the pull query row');
    const { data, status } = await client.query("SELECT * FROM client_counts WHERE who = 'jo';");
    assert.equal(status, 200);
    assert.deepEqual(data.metadata.columnNames, ['WHO', 'N']);
    assert.deepEqual(data.rows, [{ WHO: 'jo', N: 1 }]);
  } finally {
    await client.disconnect();
  }
});

test('basic authentication, when configured, guards every endpoint but the health check', async () => {
  const guarded = await start('guarded_', { ana: 'secret' });
  try {
    const denied = await fetch(`${guarded.url}/query-stream`, { method: 'POST', body: '{"sql":"SELECT 1"}' });
    assert.equal(denied.status, 401);
    assert.match(denied.headers.get('www-authenticate') ?? '', /^Basic/);
    const wrong = await fetch(`${guarded.url}/info`, {
      headers: { authorization: `Basic ${Buffer.from('ana:nope').toString('base64')}` },
    });
    assert.equal(wrong.status, 401);
    const allowed = await fetch(`${guarded.url}/info`, {
      headers: { authorization: `Basic ${Buffer.from('ana:secret').toString('base64')}` },
    });
    assert.equal(allowed.status, 200);
    assert.equal((await fetch(`${guarded.url}/healthcheck`)).status, 200);
  } finally {
    await guarded.stop();
  }
});

test('/query sends a deleted table row as its key with null values and "tombstone":true', async () => {
  const stream = await open(
    '/query',
    { ksql: "SELECT * FROM plain_table WHERE id LIKE 't%' EMIT CHANGES LIMIT 3;", streamsProperties: {} },
    'application/json',
  );
  assert.equal(stream.status, 200);
  await until(() => stream.text.includes('"header"'), 'the header');
  await producer?.send({ topic: 'plain', messages: [{ key: 't1', value: JSON.stringify({ X: 1 }) }] });
  await producer?.send({ topic: 'plain', messages: [{ key: 't1', value: null }] });
  await producer?.send({ topic: 'plain', messages: [{ key: 'u1', value: null }] });
  await producer?.send({ topic: 'plain', messages: [{ key: 't2', value: JSON.stringify({ X: 2 }) }] });
  await until(() => stream.ended, 'the end at LIMIT');
  const body = JSON.parse(stream.text);
  assert.equal(body[0].header.schema, '`ID` STRING, `X` INTEGER');
  // The delete of u1 is filtered out on its key, as its rows would be.
  assert.deepEqual(body.slice(1), [
    { row: { columns: ['t1', 1] } },
    { row: { columns: ['t1', null], tombstone: true } },
    { row: { columns: ['t2', 2] } },
    { finalMessage: 'Limit Reached' },
  ]);
});

test('50 concurrent push subscribers on one stream each receive every row, in order', async () => {
  const subscribers = 50;
  const streams = await Promise.all(
    Array.from({ length: subscribers }, () =>
      open('/query-stream', {
        sql: "SELECT voter_id, candidate FROM votes WHERE voter_id LIKE 'm%' EMIT CHANGES LIMIT 5;",
      }),
    ),
  );
  for (const s of streams) assert.equal(s.status, 200, s.text);
  await until(() => streams.every((s) => s.lines().length === 1), 'every header');
  const queries = (server as KsqlRestServer).streaming.queries;
  assert.equal(queries.runningCount, subscribers);
  const expected = [1, 2, 3, 4, 5].map((i) => [`m${i}`, `cand${i}`]);
  for (const [voter, candidate] of expected) await vote(voter as string, candidate as string);
  await until(() => streams.every((s) => s.ended), 'every subscriber at its LIMIT');
  for (const s of streams) assert.deepEqual(s.lines().slice(1), expected);
  await until(() => queries.runningCount === 0, 'every query closed');
});

test('pull queries pinning a value column read its index, which follows every update', async () => {
  await ksql(
    'CREATE TABLE voter_choice AS SELECT voter_id, LATEST_BY_OFFSET(candidate) AS candidate FROM votes GROUP BY voter_id;',
  );
  const voters = async (sql: string) => (await pull(sql)).rows.map((r) => r[0]).sort();
  await until(
    async () => (await voters("SELECT voter_id FROM voter_choice WHERE candidate = 'alice';")).length === 2,
    "alice's voters",
  );
  assert.deepEqual(await voters("SELECT voter_id FROM voter_choice WHERE candidate = 'alice';"), ['v1', 'v3']);
  // v1 changes their mind: the index moves the row from alice to bob.
  await vote('v1', 'bob');
  await until(
    async () => (await voters("SELECT voter_id FROM voter_choice WHERE candidate = 'alice';")).length === 1,
    'v1 moved',
  );
  assert.deepEqual(await voters("SELECT voter_id FROM voter_choice WHERE candidate = 'alice';"), ['v3']);
  // (Other tests' voters are not v-something.)
  assert.deepEqual(
    await voters("SELECT voter_id FROM voter_choice WHERE candidate IN ('bob', 'zed') AND voter_id LIKE 'v%';"),
    ['v1', 'v2'],
  );
  // The rest of the WHERE clause still filters the rows the index found.
  assert.deepEqual(await voters("SELECT voter_id FROM voter_choice WHERE candidate = 'bob' AND voter_id LIKE 'v%2';"), [
    'v2',
  ]);
  assert.deepEqual(await voters("SELECT voter_id FROM voter_choice WHERE candidate = 'nobody';"), []);
});
