import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { RegistrySerializer } from '../serde/index.ts';
import { eventually, startConnectHarness } from '../test/harness.ts';

const h = await startConnectHarness();

const tallySchema = {
  type: 'record',
  name: 'Tally',
  fields: [
    { name: 'CANDIDATE_ID', type: 'int' },
    { name: 'VOTES', type: 'long' },
    { name: 'SHARE', type: ['null', 'double'], default: null },
  ],
};
const keySchema = { type: 'record', name: 'Key', fields: [{ name: 'CANDIDATE_ID', type: 'int' }] };

async function createConnector(name: string, config: Record<string, string>) {
  const { status, body } = await h.http('POST', '/connectors', { name, config: { ...h.jdbc, ...config } });
  assert.equal(status, 201, JSON.stringify(body));
}

describe('JDBC sink', () => {
  test('upsert with pk.mode=record_key auto-creates the table and keeps the last value per key; tombstones delete', async () => {
    const topic = 'VOTES_PER_CANDIDATE';
    const key = h.avro(topic, keySchema, true);
    const value = h.avro(topic, tallySchema);
    const send = async (id: number, votes: number | null) =>
      h.producer.send({
        topic,
        messages: [
          {
            key: await key.serialize({ CANDIDATE_ID: id }),
            value:
              votes === null ? null : await value.serialize({ CANDIDATE_ID: id, VOTES: votes, SHARE: votes / 100 }),
          },
        ],
      });
    for (let i = 1; i <= 5; i++) await send(i, i);
    await send(1, 10);
    await send(2, 20);
    await send(3, null);
    await createConnector('upserts', {
      topics: topic,
      'insert.mode': 'upsert',
      'pk.mode': 'record_key',
      'auto.create': 'true',
      'delete.enabled': 'true',
    });
    const rows = await eventually(async () => {
      const r = await h.sql('SELECT * FROM "VOTES_PER_CANDIDATE" ORDER BY "CANDIDATE_ID"').catch(() => []);
      return r.length === 4 && Number(r[0]!.VOTES) === 10 ? r : undefined;
    }, 'upserted rows');
    assert.deepEqual(
      rows.map((r) => [r.CANDIDATE_ID, Number(r.VOTES), r.SHARE]),
      [
        [1, 10, 0.1],
        [2, 20, 0.2],
        [4, 4, 0.04],
        [5, 5, 0.05],
      ],
    );
    const pk = await h.sql(
      `SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
        WHERE i.indrelid = '"VOTES_PER_CANDIDATE"'::regclass AND i.indisprimary`,
    );
    assert.deepEqual(
      pk.map((r) => r.attname),
      ['CANDIDATE_ID'],
    );
    const status = await h.http('GET', '/connectors/upserts/status');
    assert.equal(status.body.connector.state, 'RUNNING');
    assert.equal(status.body.tasks[0].state, 'RUNNING');
  });

  test('auto.evolve adds an optional column when the value schema grows', async () => {
    const topic = 'evolving';
    const v1 = h.avro(topic, { type: 'record', name: 'E', fields: [{ name: 'id', type: 'int' }] });
    await h.producer.send({ topic, messages: [{ value: await v1.serialize({ id: 1 }) }] });
    await createConnector('evolve', {
      topics: topic,
      'insert.mode': 'upsert',
      'pk.mode': 'record_value',
      'pk.fields': 'id',
      'auto.create': 'true',
      'auto.evolve': 'true',
    });
    await eventually(async () => (await h.sql('SELECT * FROM evolving').catch(() => [])).length === 1, 'first row');
    const v2 = h.avro(topic, {
      type: 'record',
      name: 'E',
      fields: [
        { name: 'id', type: 'int' },
        { name: 'region', type: ['null', 'string'], default: null },
      ],
    });
    await h.producer.send({ topic, messages: [{ value: await v2.serialize({ id: 2, region: 'North' }) }] });
    const rows = await eventually(async () => {
      const r = await h.sql('SELECT * FROM evolving ORDER BY id').catch(() => []);
      return r.length === 2 ? r : undefined;
    }, 'evolved rows');
    assert.deepEqual(rows, [
      { id: 1, region: null },
      { id: 2, region: 'North' },
    ]);
  });

  test('insert mode with pk.mode=kafka writes one row per record with topic, partition and offset', async () => {
    const topic = 'events';
    const v = h.avro(topic, { type: 'record', name: 'Ev', fields: [{ name: 'what', type: 'string' }] });
    await h.producer.send({
      topic,
      messages: [{ value: await v.serialize({ what: 'a' }) }, { value: await v.serialize({ what: 'a' }) }],
    });
    await createConnector('kafka-pk', { topics: topic, 'pk.mode': 'kafka', 'auto.create': 'true' });
    const rows = await eventually(async () => {
      const r = await h.sql('SELECT * FROM events ORDER BY __connect_offset').catch(() => []);
      return r.length === 2 ? r : undefined;
    }, 'inserted rows');
    assert.deepEqual(
      rows.map((r) => [r.__connect_topic, r.__connect_partition, Number(r.__connect_offset), r.what]),
      [
        ['events', 0, 0, 'a'],
        ['events', 0, 1, 'a'],
      ],
    );
  });

  test('update mode changes existing rows only; table.name.format names the table', async () => {
    await h.sql('CREATE TABLE stations (id text PRIMARY KEY, open boolean NOT NULL)');
    await h.sql("INSERT INTO stations VALUES ('s1', false)");
    const topic = 'station-updates';
    const v = h.avro(topic, {
      type: 'record',
      name: 'St',
      fields: [
        { name: 'id', type: 'string' },
        { name: 'open', type: 'boolean' },
      ],
    });
    await h.producer.send({
      topic,
      messages: [
        { value: await v.serialize({ id: 's1', open: true }) },
        { value: await v.serialize({ id: 's2', open: true }) },
      ],
    });
    await createConnector('updates', {
      topics: topic,
      'table.name.format': 'stations',
      'insert.mode': 'update',
      'pk.mode': 'record_value',
      'pk.fields': 'id',
    });
    await eventually(async () => (await h.sql('SELECT open FROM stations'))[0]?.open === true, 'updated row');
    assert.deepEqual(await h.sql('SELECT * FROM stations'), [{ id: 's1', open: true }]);
  });

  test('type mapping: Connect types and logical types become PostgreSQL column types (JsonConverter with schemas)', async () => {
    const topic = 'typed';
    const field = (name: string, type: string, extra: object = {}) => ({
      field: name,
      type,
      optional: false,
      ...extra,
    });
    const schema = {
      type: 'struct',
      fields: [
        field('i8', 'int8'),
        field('i16', 'int16'),
        field('i32', 'int32'),
        field('i64', 'int64'),
        field('f32', 'float'),
        field('f64', 'double'),
        field('b', 'boolean'),
        field('s', 'string'),
        field('bytes', 'bytes'),
        field('ts', 'int64', { name: 'org.apache.kafka.connect.data.Timestamp' }),
        field('d', 'int32', { name: 'org.apache.kafka.connect.data.Date' }),
        field('t', 'int32', { name: 'org.apache.kafka.connect.data.Time' }),
        // The JsonConverter's default decimal.format=BASE64: the unscaled value's two's-complement bytes.
        field('price', 'bytes', { name: 'org.apache.kafka.connect.data.Decimal', parameters: { scale: '2' } }),
        field('delta', 'bytes', { name: 'org.apache.kafka.connect.data.Decimal', parameters: { scale: '2' } }),
        field('tags', 'array', { items: { type: 'string', optional: false } }),
        { field: 'maybe', type: 'string', optional: true },
      ],
    };
    const payload = {
      i8: 1,
      i16: 2,
      i32: 3,
      i64: 4,
      f32: 1.5,
      f64: 2.25,
      b: true,
      s: 'x',
      bytes: Buffer.from('hi').toString('base64'),
      ts: Date.UTC(2024, 6, 4, 12, 30, 0),
      d: 19_000,
      t: ((12 * 60 + 34) * 60 + 56) * 1000 + 789,
      price: Buffer.from([0x30, 0x39]).toString('base64'), // 12345
      delta: Buffer.from([0xff, 0x97]).toString('base64'), // -105
      tags: ['a', 'b'],
      maybe: null,
    };
    await h.producer.send({ topic, messages: [{ key: 'k1', value: JSON.stringify({ schema, payload }) }] });
    await createConnector('types', {
      topics: topic,
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable': 'true',
      'insert.mode': 'upsert',
      'pk.mode': 'record_key',
      'pk.fields': 'id',
      'auto.create': 'true',
    });
    await eventually(async () => (await h.sql('SELECT 1 FROM typed').catch(() => [])).length === 1, 'typed row');
    const columns = await h.sql(
      "SELECT attname, format_type(atttypid, atttypmod) AS type, attnotnull FROM pg_attribute WHERE attrelid = 'typed'::regclass AND attnum > 0 ORDER BY attnum",
    );
    assert.deepEqual(
      Object.fromEntries(columns.map((c) => [c.attname, `${c.type}${c.attnotnull ? ' not null' : ''}`])),
      {
        id: 'text not null',
        i8: 'smallint not null',
        i16: 'smallint not null',
        i32: 'integer not null',
        i64: 'bigint not null',
        f32: 'real not null',
        f64: 'double precision not null',
        b: 'boolean not null',
        s: 'text not null',
        bytes: 'bytea not null',
        ts: 'timestamp without time zone not null',
        d: 'date not null',
        t: 'time without time zone not null',
        price: 'numeric not null',
        delta: 'numeric not null',
        tags: 'text[] not null',
        maybe: 'text',
      },
    );
    const [row] = await h.sql(
      "SELECT id, bytes, to_char(ts, 'YYYY-MM-DD HH24:MI:SS') AS ts, d::text, t::text, price::text, delta::text, tags FROM typed",
    );
    assert.deepEqual(
      { ...row, bytes: (row!.bytes as Buffer).toString() },
      {
        id: 'k1',
        bytes: 'hi',
        ts: '2024-07-04 12:30:00',
        d: '2022-01-08',
        t: '12:34:56.789',
        price: '123.45',
        delta: '-1.05',
        tags: ['a', 'b'],
      },
    );
  });

  test('JsonSchemaConverter: JSON_SR values through the registry, auto.create with their Connect types, upserts', async () => {
    const topic = 'json-sr-results';
    // The JSON Schema Confluent's JsonSchemaConverter writes for a Connect struct: connect.* hints and logical titles.
    const schema = {
      type: 'object',
      title: 'Result',
      properties: {
        id: { type: 'integer', 'connect.type': 'int32', 'connect.index': 0 },
        party: { type: 'string', 'connect.index': 1 },
        votes: { type: 'integer', 'connect.index': 2 },
        share: { oneOf: [{ type: 'null' }, { type: 'number' }], 'connect.index': 3 },
        turnout: {
          type: 'number',
          title: 'org.apache.kafka.connect.data.Decimal',
          'connect.type': 'bytes',
          'connect.parameters': { scale: '1' },
          'connect.index': 4,
        },
        counted_at: {
          type: 'integer',
          title: 'org.apache.kafka.connect.data.Timestamp',
          'connect.type': 'int64',
          'connect.index': 5,
        },
        final: { type: 'boolean', 'connect.index': 6 },
      },
      required: ['id', 'party', 'votes', 'turnout', 'counted_at', 'final'],
    };
    const value = new RegistrySerializer({ registry: h.registryClient, topic, schemaType: 'JSON', schema });
    const at = Date.UTC(2024, 6, 4, 22, 15, 0);
    const result = (id: number, party: string, votes: number, share: number | null, final: boolean) => ({
      id,
      party,
      votes,
      share,
      turnout: 61.5,
      counted_at: at,
      final,
    });
    await h.producer.send({
      topic,
      messages: await Promise.all(
        [
          result(1, 'Greens', 120, 0.4, false),
          result(2, 'Liberals', 180, null, false),
          result(1, 'Greens', 150, 0.45, true),
        ].map(async (r) => ({ value: await value.serialize(r) })),
      ),
    });
    assert.equal((await h.registryClient.getSchemaById(await value.schemaId())).schemaType, 'JSON');
    await createConnector('json-sr', {
      topics: topic,
      'table.name.format': 'json_sr_results',
      'value.converter': 'io.confluent.connect.json.JsonSchemaConverter',
      'value.converter.schema.registry.url': h.registry.url,
      'insert.mode': 'upsert',
      'pk.mode': 'record_value',
      'pk.fields': 'id',
      'auto.create': 'true',
    });
    const rows = await eventually(async () => {
      const r = await h
        .sql(
          "SELECT id, party, votes, share, turnout::text, to_char(counted_at, 'YYYY-MM-DD HH24:MI:SS') AS counted_at, final FROM json_sr_results ORDER BY id",
        )
        .catch(() => []);
      return r.length === 2 && r[0]!.final === true ? r : undefined;
    }, 'JSON_SR rows');
    assert.deepEqual(
      rows.map((r) => ({ ...r, votes: Number(r.votes) })),
      [
        {
          id: 1,
          party: 'Greens',
          votes: 150,
          share: 0.45,
          turnout: '61.5',
          counted_at: '2024-07-04 22:15:00',
          final: true,
        },
        {
          id: 2,
          party: 'Liberals',
          votes: 180,
          share: null,
          turnout: '61.5',
          counted_at: '2024-07-04 22:15:00',
          final: false,
        },
      ],
    );
    const columns = await h.sql(
      "SELECT attname, format_type(atttypid, atttypmod) AS type, attnotnull FROM pg_attribute WHERE attrelid = 'json_sr_results'::regclass AND attnum > 0 ORDER BY attnum",
    );
    assert.deepEqual(
      columns.map((c) => `${c.attname} ${c.type}${c.attnotnull ? ' not null' : ''}`),
      [
        'id integer not null',
        'party text not null',
        'votes bigint not null',
        'share double precision',
        'turnout numeric not null',
        'counted_at timestamp without time zone not null',
        'final boolean not null',
      ],
    );
  });

  test('topics.regex: every topic whose whole name matches is written, the others are not', async () => {
    const vote = { type: 'record', name: 'Vote', fields: [{ name: 'n', type: 'int' }] };
    const send = async (topic: string, n: number) =>
      h.producer.send({ topic, messages: [{ value: await h.avro(topic, vote).serialize({ n }) }] });
    await send('tally.votes.north', 1);
    await send('tally.votes.south', 2);
    await send('tally.turnout.north', 3);
    await send('tally.votes.north-archive', 4); // contains a match, but Connect matches whole topic names
    await createConnector('regex', {
      'topics.regex': 'tally\\.votes\\.[a-z]+',
      'table.name.format': 'regex_rows',
      'pk.mode': 'kafka',
      'auto.create': 'true',
      // Match again every half second (Connect's consumer: metadata.max.age.ms, 5 minutes by default).
      'consumer.override.metadata.max.age.ms': '500',
    });
    await eventually(
      async () => (await h.sql('SELECT 1 FROM regex_rows').catch(() => [])).length >= 2,
      'rows from the matching topics',
    );
    // Anything else would have arrived with the same fetches: give strays a moment to show up.
    await sleep(1000);
    assert.deepEqual(await h.sql('SELECT __connect_topic AS topic, n FROM regex_rows ORDER BY n'), [
      { topic: 'tally.votes.north', n: 1 },
      { topic: 'tally.votes.south', n: 2 },
    ]);
    // A matching topic created later is picked up at the next match, without a restart.
    await send('tally.votes.east', 5);
    await eventually(
      async () =>
        (await h.sql('SELECT n FROM regex_rows WHERE __connect_topic = $1', ['tally.votes.east'])).length === 1,
      'the row of the topic created later',
    );
  });

  test('a transactional topic read to its end leaves the group no lag: the commit marker is consumed too', async () => {
    const topic = 'txn_rows';
    const value = h.avro(topic, { type: 'record', name: 'T', fields: [{ name: 'n', type: 'int' }] });
    const producer = h.client.producer({
      transactionalId: 'txn-rows-writer',
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    h.stopBeforeBroker(() => producer.disconnect());
    const transaction = await producer.transaction();
    await transaction.send({
      topic,
      messages: await Promise.all([1, 2, 3].map(async (n) => ({ value: await value.serialize({ n }) }))),
    });
    await transaction.commit();
    await createConnector('txn', {
      topics: topic,
      'table.name.format': 'txn_rows',
      'pk.mode': 'kafka',
      'auto.create': 'true',
    });
    await eventually(async () => (await h.sql('SELECT 1 FROM txn_rows').catch(() => [])).length === 3, 'three rows');
    const admin = h.client.admin();
    await admin.connect();
    try {
      const [end] = await admin.fetchTopicOffsets(topic);
      // Three records and the marker: the end is 4, and the group commits it (Connect's consumer does).
      assert.equal(end?.high, '4');
      await eventually(async () => {
        const [committed] =
          (await admin.fetchOffsets({ groupId: 'connect-txn', topics: [topic] }))[0]?.partitions ?? [];
        return committed?.offset === '4';
      }, 'the committed offset past the marker');
    } finally {
      await admin.disconnect();
    }
  });

  test('batch.size bounds the rows of each statement; a fetched batch is one transaction', async () => {
    // A statement-level trigger with a transition table records each INSERT statement's row count and transaction:
    // PostgreSQL's own view of how the sink split its writes, without any hook in the sink.
    await h.sql('CREATE TABLE batched (n int NOT NULL)');
    await h.sql('CREATE TABLE batched_statements (xid xid8 NOT NULL, rows int NOT NULL, at timestamptz NOT NULL)');
    await h.sql(`CREATE FUNCTION note_batched_statement() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO batched_statements SELECT pg_current_xact_id(), count(*), clock_timestamp() FROM new_rows;
        RETURN NULL;
      END $$`);
    await h.sql(`CREATE TRIGGER note_statement AFTER INSERT ON batched REFERENCING NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION note_batched_statement()`);
    const topic = 'batched';
    const v = h.avro(topic, { type: 'record', name: 'B', fields: [{ name: 'n', type: 'int' }] });
    const total = 25;
    const messages = [];
    for (let n = 0; n < total; n++) messages.push({ value: await v.serialize({ n }) });
    await h.producer.send({ topic, messages });
    await createConnector('batched', { topics: topic, 'batch.size': '10' });
    await eventually(
      async () => (await h.sql('SELECT count(*)::int AS c FROM batched'))[0]?.c === total,
      `${total} rows`,
    );
    const statements = await h.sql('SELECT xid::text, rows FROM batched_statements ORDER BY at');
    assert.ok(
      statements.every((s) => Number(s.rows) <= 10),
      JSON.stringify(statements),
    );
    assert.equal(
      statements.reduce((sum, s) => sum + Number(s.rows), 0),
      total,
    );
    // The 25 records were produced before the connector started, so they come in one fetch: 10 + 10 + 5 rows,
    // in one transaction (as the real connector's JdbcDbWriter: executeBatch per batch.size, one commit per put).
    assert.deepEqual(
      statements.map((s) => Number(s.rows)),
      [10, 10, 5],
    );
    assert.equal(new Set(statements.map((s) => s.xid)).size, 1);
  });

  test('bad records go to the dead letter queue with the reason in their headers', async () => {
    const topic = 'mixed';
    const v = h.avro(topic, { type: 'record', name: 'M', fields: [{ name: 'n', type: 'int' }] });
    await h.producer.send({
      topic,
      messages: [
        { value: await v.serialize({ n: 1 }) },
        { value: 'not avro at all' },
        { value: await v.serialize({ n: 2 }) },
      ],
    });
    await createConnector('tolerant', {
      topics: topic,
      'auto.create': 'true',
      'errors.tolerance': 'all',
      'errors.deadletterqueue.topic.name': 'dlq-mixed',
    });
    await eventually(async () => (await h.sql('SELECT n FROM mixed').catch(() => [])).length === 2, 'good rows');
    const consumer = h.client.consumer({ groupId: 'dlq-reader', maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic: 'dlq-mixed', fromBeginning: true });
    const dead: { value: string; headers: Record<string, string> }[] = [];
    await consumer.run({
      eachMessage: async ({ message }) => {
        dead.push({
          value: String(message.value),
          headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, val]) => [k, String(val)])),
        });
      },
    });
    await eventually(async () => dead.length === 1, 'a dead letter');
    await consumer.disconnect();
    assert.equal(dead[0]!.value, 'not avro at all');
    assert.equal(dead[0]!.headers['__connect.errors.topic'], 'mixed');
    assert.equal(dead[0]!.headers['__connect.errors.offset'], '1');
    assert.match(dead[0]!.headers['__connect.errors.exception.message']!, /magic byte/);
  });

  test('without errors.tolerance a bad record fails the task with a trace; restart after fixing resumes', async () => {
    const topic = 'strict';
    await h.producer.send({ topic, messages: [{ value: '{"plain":"json"}' }] });
    await createConnector('strict', {
      topics: topic,
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable': 'false',
      'auto.create': 'true',
    });
    const status = await eventually(async () => {
      const s = await h.http('GET', '/connectors/strict/status');
      return s.body.tasks[0]?.state === 'FAILED' ? s.body : undefined;
    }, 'a failed task');
    assert.match(status.tasks[0].trace, /non-null Struct value and non-null Struct schema/);
  });
});
