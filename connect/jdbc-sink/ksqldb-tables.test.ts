// The shapes ksqlDB writes its tables in, sunk the way connect/connectors/ configures it:
// upper-case Avro fields into lower-case columns (quote.sql.identifiers=never), unwrapped
// primitive keys, struct keys, windowed keys no converter reads, and insert-only streams.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { eventually, startConnectHarness } from '../test/harness.ts';

const h = await startConnectHarness();

const ns = 'io.confluent.ksql.avro_schemas';
const optional = (type: unknown) => ['null', type];
const ksqlValue = (fields: [string, unknown][]) => ({
  type: 'record',
  name: 'KsqlDataSourceSchema',
  namespace: ns,
  fields: fields.map(([name, type]) => ({ name, type: optional(type), default: null })),
});

async function createConnector(name: string, config: Record<string, string>) {
  const { status, body } = await h.http('POST', '/connectors', { name, config: { ...h.jdbc, ...config } });
  assert.equal(status, 201, JSON.stringify(body));
}

async function columnsOf(table: string) {
  const rows = await h.sql<{ attname: string; type: string; pk: boolean }>(
    `SELECT a.attname, format_type(a.atttypid, a.atttypmod) AS type,
            COALESCE(a.attnum = ANY(i.indkey), false) AS pk
       FROM pg_attribute a LEFT JOIN pg_index i ON i.indrelid = a.attrelid AND i.indisprimary
      WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
    [table],
  );
  return rows.map((r) => `${r.attname} ${r.type}${r.pk ? ' pk' : ''}`);
}

describe('JDBC sink with ksqlDB tables', () => {
  test('an unwrapped primitive key with pk.fields, quote.sql.identifiers=never: lower-case columns, upserts, evolution', async () => {
    const topic = 'votes_by_candidate';
    const key = h.avro(topic, optional('string'), true);
    const v1 = h.avro(
      topic,
      ksqlValue([
        ['PARTY_ID', 'string'],
        ['VOTES', 'long'],
      ]),
    );
    const send = async (id: string, party: string, votes: number) =>
      h.producer.send({
        topic,
        messages: [{ key: await key.serialize(id), value: await v1.serialize({ PARTY_ID: party, VOTES: votes }) }],
      });
    await send('c1', 'p1', 1);
    await send('c2', 'p2', 1);
    await send('c1', 'p1', 2);
    await createConnector('by-candidate', {
      topics: topic,
      'key.converter': 'io.confluent.connect.avro.AvroConverter',
      'key.converter.schema.registry.url': h.registry.url,
      'insert.mode': 'upsert',
      'pk.mode': 'record_key',
      'pk.fields': 'candidate_id',
      'quote.sql.identifiers': 'never',
      'auto.create': 'true',
      'auto.evolve': 'true',
    });
    await eventually(async () => {
      const r = await h.sql('SELECT * FROM votes_by_candidate WHERE candidate_id = $1', ['c1']).catch(() => []);
      return Number(r[0]?.votes) === 2;
    }, 'the upserted row');
    assert.deepEqual(await columnsOf('votes_by_candidate'), ['candidate_id text pk', 'party_id text', 'votes bigint']);

    // The table exists now: later batches find ksqlDB's VOTES in `votes`, and a new field is added in lower case.
    const v2 = h.avro(
      topic,
      ksqlValue([
        ['PARTY_ID', 'string'],
        ['VOTES', 'long'],
        ['SHARE', 'double'],
      ]),
    );
    await h.producer.send({
      topic,
      messages: [
        { key: await key.serialize('c2'), value: await v2.serialize({ PARTY_ID: 'p2', VOTES: 5, SHARE: 0.5 }) },
      ],
    });
    const rows = await eventually(async () => {
      const r = await h.sql('SELECT * FROM votes_by_candidate ORDER BY candidate_id');
      return r.length === 2 && Number(r[1]?.votes) === 5 ? r : undefined;
    }, 'the evolved row');
    assert.deepEqual(
      rows.map((r) => [r.candidate_id, r.party_id, Number(r.votes), r.share]),
      [
        ['c1', 'p1', 2, null],
        ['c2', 'p2', 5, 0.5],
      ],
    );
    assert.deepEqual(await columnsOf('votes_by_candidate'), [
      'candidate_id text pk',
      'party_id text',
      'votes bigint',
      'share double precision',
    ]);
    assert.equal((await h.http('GET', '/connectors/by-candidate/status')).body.tasks[0].state, 'RUNNING');
  });

  test('a struct key (a multi-column GROUP BY) makes a composite primary key of all its fields', async () => {
    const topic = 'votes_by_constituency_candidate';
    const key = h.avro(
      topic,
      ksqlValue([
        ['CONSTITUENCY_ID', 'string'],
        ['CANDIDATE_ID', 'string'],
      ]),
      true,
    );
    const value = h.avro(
      topic,
      ksqlValue([
        ['PARTY_ID', 'string'],
        ['VOTES', 'long'],
      ]),
    );
    const send = async (constituency: string, candidate: string, votes: number) =>
      h.producer.send({
        topic,
        messages: [
          {
            key: await key.serialize({ CONSTITUENCY_ID: constituency, CANDIDATE_ID: candidate }),
            value: await value.serialize({ PARTY_ID: 'p', VOTES: votes }),
          },
        ],
      });
    await send('k1', 'c1', 1);
    await send('k1', 'c2', 1);
    await send('k2', 'c1', 1);
    await send('k1', 'c1', 3);
    await createConnector('by-constituency-candidate', {
      topics: topic,
      'key.converter': 'io.confluent.connect.avro.AvroConverter',
      'key.converter.schema.registry.url': h.registry.url,
      'insert.mode': 'upsert',
      'pk.mode': 'record_key',
      'quote.sql.identifiers': 'never',
      'auto.create': 'true',
    });
    const rows = await eventually(async () => {
      const r = await h
        .sql('SELECT * FROM votes_by_constituency_candidate ORDER BY constituency_id, candidate_id')
        .catch(() => []);
      return r.length === 3 && Number(r[0]?.votes) === 3 ? r : undefined;
    }, 'three rows');
    assert.deepEqual(
      rows.map((r) => [r.constituency_id, r.candidate_id, Number(r.votes)]),
      [
        ['k1', 'c1', 3],
        ['k1', 'c2', 1],
        ['k2', 'c1', 1],
      ],
    );
    assert.deepEqual(await columnsOf('votes_by_constituency_candidate'), [
      'constituency_id text pk',
      'candidate_id text pk',
      'party_id text',
      'votes bigint',
    ]);
  });

  test('a windowed table: ByteArrayConverter keys (<key><8-byte window start>) and pk.mode=record_value', async () => {
    const topic = 'votes_by_hour';
    const key = h.avro(topic, optional('string'), true);
    const value = h.avro(
      topic,
      ksqlValue([
        ['HOUR_START', 'long'],
        ['VOTES', 'long'],
      ]),
    );
    const hour = 3_600_000;
    const windowed = async (k: string, start: number) => {
      const window = Buffer.alloc(8);
      window.writeBigInt64BE(BigInt(start));
      return Buffer.concat([await key.serialize(k), window]);
    };
    const send = async (start: number, votes: number) =>
      h.producer.send({
        topic,
        messages: [
          { key: await windowed('all', start), value: await value.serialize({ HOUR_START: start, VOTES: votes }) },
        ],
      });
    await send(0, 1);
    await send(hour, 1);
    await send(0, 2);
    await send(2 * hour, 7);
    await createConnector('by-hour', {
      topics: topic,
      'key.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
      'insert.mode': 'upsert',
      'pk.mode': 'record_value',
      'pk.fields': 'HOUR_START',
      'quote.sql.identifiers': 'never',
      'auto.create': 'true',
    });
    const rows = await eventually(async () => {
      const r = await h.sql('SELECT * FROM votes_by_hour ORDER BY hour_start').catch(() => []);
      return r.length === 3 && Number(r[0]?.votes) === 2 ? r : undefined;
    }, 'hourly rows');
    assert.deepEqual(
      rows.map((r) => [Number(r.hour_start), Number(r.votes)]),
      [
        [0, 2],
        [hour, 1],
        [2 * hour, 7],
      ],
    );
    assert.deepEqual(await columnsOf('votes_by_hour'), ['hour_start bigint pk', 'votes bigint']);
  });

  test('an insert-only stream (insert.mode=insert, pk.mode=none) keeps every record, duplicates included', async () => {
    const topic = 'integrity_events';
    const value = h.avro(
      topic,
      ksqlValue([
        ['KIND', 'string'],
        ['VOTE_ID', 'string'],
        ['CAST_AT', 'long'],
      ]),
    );
    const events = [
      { KIND: 'repeat_vote', VOTE_ID: 'v1', CAST_AT: 1 },
      { KIND: 'malformed', VOTE_ID: null, CAST_AT: 2 },
      { KIND: 'repeat_vote', VOTE_ID: 'v1', CAST_AT: 1 },
    ];
    for (const event of events) {
      await h.producer.send({ topic, messages: [{ key: null, value: await value.serialize(event) }] });
    }
    await createConnector('integrity-events', {
      topics: topic,
      'key.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
      'insert.mode': 'insert',
      'pk.mode': 'none',
      'quote.sql.identifiers': 'never',
      'auto.create': 'true',
    });
    const rows = await eventually(async () => {
      const r = await h.sql('SELECT * FROM integrity_events ORDER BY cast_at, kind').catch(() => []);
      return r.length === 3 ? r : undefined;
    }, 'three events');
    assert.deepEqual(
      rows.map((r) => [r.kind, r.vote_id, Number(r.cast_at)]),
      [
        ['repeat_vote', 'v1', 1],
        ['repeat_vote', 'v1', 1],
        ['malformed', null, 2],
      ],
    );
    assert.deepEqual(await columnsOf('integrity_events'), ['kind text', 'vote_id text', 'cast_at bigint']);
  });

  test('quote.sql.identifiers accepts always or never only', async () => {
    const { status, body } = await h.http('PUT', '/connectors/bad-quoting/config', {
      ...h.jdbc,
      topics: 't',
      'quote.sql.identifiers': 'sometimes',
    });
    assert.equal(status, 400);
    assert.match(body.message, /quote\.sql\.identifiers: must be one of always, never/);
  });
});
