import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Serdes, TopologyTestDriver } from '../../topology/index.ts';
import { KsqlEngine } from '../execution/engine.ts';
import { formatSchema } from '../types/schema.ts';

const VOTES =
  "CREATE STREAM votes (voter_id STRING KEY, candidate_id INT, method STRING) WITH (kafka_topic='votes', value_format='JSON');";

function run(engine: KsqlEngine, queryId: string, inputs: [string, object | null, number][], sinkTopic: string) {
  const query = engine.metastore.query(queryId);
  assert.ok(query, `query ${queryId} exists`);
  const driver = new TopologyTestDriver(query.topology);
  const source = query.topology.externalSourceTopics()[0] as string;
  for (const [key, value, ts] of inputs) {
    driver.pipeRaw(source, Buffer.from(key), value === null ? null : Buffer.from(JSON.stringify(value)), ts);
  }
  const out = driver.createOutputTopic(sinkTopic, Serdes.Bytes(), Serdes.Bytes()).readRecordsToList();
  driver.close();
  return out.map((r) => ({
    key: r.key?.toString('utf8') ?? null,
    value: r.value === null ? null : JSON.parse(r.value.toString('utf8')),
    ts: r.timestamp,
  }));
}

describe('planner: CREATE STREAM AS SELECT', () => {
  it('names the sink topic and query after the statement, as ksqlDB does', () => {
    const engine = new KsqlEngine();
    engine.execute(VOTES);
    const [result] = engine.execute(
      "CREATE STREAM online AS SELECT voter_id, candidate_id FROM votes WHERE method = 'online';",
    );
    assert.equal(result?.queryId, 'CSAS_ONLINE_0');
    const sink = engine.metastore.source('ONLINE');
    assert.equal(sink?.topic, 'ONLINE');
    assert.equal(sink?.valueFormat, 'JSON');
    assert.equal(formatSchema(sink?.schema ?? { key: [], value: [] }), '`VOTER_ID` STRING KEY, `CANDIDATE_ID` INTEGER');
  });

  it('filters and projects records', () => {
    const engine = new KsqlEngine();
    engine.execute(VOTES);
    engine.execute(
      "CREATE STREAM online WITH (kafka_topic='online_votes') AS SELECT voter_id, candidate_id * 10 AS c FROM votes WHERE method = 'online';",
    );
    const out = run(
      engine,
      'CSAS_ONLINE_0',
      [
        ['v1', { CANDIDATE_ID: 1, METHOD: 'online' }, 5],
        ['v2', { CANDIDATE_ID: 2, METHOD: 'paper' }, 6],
      ],
      'online_votes',
    );
    assert.deepEqual(out, [{ key: 'v1', value: { C: 10 }, ts: 5 }]);
  });
});

describe('planner: CREATE TABLE AS SELECT with GROUP BY', () => {
  it('counts per group, emitting every update', () => {
    const engine = new KsqlEngine();
    engine.execute(VOTES);
    const [r] = engine.execute(
      'CREATE TABLE per_candidate AS SELECT candidate_id, COUNT(*) AS votes FROM votes GROUP BY candidate_id;',
    );
    assert.equal(r?.queryId, 'CTAS_PER_CANDIDATE_0');
    const query = engine.metastore.query('CTAS_PER_CANDIDATE_0');
    const driver = new TopologyTestDriver(query!.topology);
    for (const [k, c] of [
      ['a', 1],
      ['b', 2],
      ['c', 1],
    ] as const) {
      driver.pipeRaw('votes', Buffer.from(k), Buffer.from(JSON.stringify({ CANDIDATE_ID: c })), 0);
    }
    const out = driver.createOutputTopic('PER_CANDIDATE', Serdes.Integer(), Serdes.Json()).readKeyValuesToList();
    driver.close();
    assert.deepEqual(out, [
      { key: 1, value: { VOTES: 1 } },
      { key: 2, value: { VOTES: 1 } },
      { key: 1, value: { VOTES: 2 } },
    ]);
  });

  it('windows with TUMBLING and keeps the window in the key', () => {
    const engine = new KsqlEngine();
    engine.execute(VOTES);
    engine.execute(
      'CREATE TABLE hourly AS SELECT candidate_id, COUNT(*) AS n FROM votes WINDOW TUMBLING (SIZE 1 HOUR) GROUP BY candidate_id;',
    );
    assert.deepEqual(engine.metastore.source('HOURLY')?.window, { type: 'TUMBLING', sizeMs: 3_600_000 });
  });
});

describe('analyzer errors a user can act on', () => {
  it('names the unknown column and the known ones', () => {
    const engine = new KsqlEngine();
    engine.execute(VOTES);
    assert.throws(
      () => engine.execute('CREATE STREAM x AS SELECT voter_id, cnadidate_id FROM votes;'),
      /SELECT column 'CNADIDATE_ID' cannot be resolved\. Known columns: VOTER_ID, CANDIDATE_ID, METHOD\./,
    );
  });

  it('asks for the key column in the projection', () => {
    const engine = new KsqlEngine();
    engine.execute(VOTES);
    assert.throws(
      () => engine.execute('CREATE STREAM x AS SELECT method FROM votes;'),
      /must include the key column VOTER_ID in its projection \(eg, SELECT VOTER_ID\.\.\.\)/,
    );
  });

  it('rejects an unknown function by name', () => {
    const engine = new KsqlEngine();
    engine.execute(VOTES);
    assert.throws(
      () => engine.execute('CREATE STREAM x AS SELECT voter_id, NOPE(method) FROM votes;'),
      /Can't find any functions with the name 'NOPE'/,
    );
  });

  it('leaves the metastore unchanged when a statement fails', () => {
    const engine = new KsqlEngine();
    engine.execute(VOTES);
    assert.throws(() => engine.execute('CREATE TABLE t AS SELECT method FROM votes GROUP BY method;'));
    assert.equal(engine.metastore.source('T'), undefined);
    assert.equal(engine.queries().length, 0);
  });
});

describe('processing log', () => {
  it('logs a record that cannot be read and goes on with the next', () => {
    const engine = new KsqlEngine();
    engine.execute(VOTES);
    engine.execute('CREATE STREAM copy AS SELECT * FROM votes;');
    const query = engine.metastore.query('CSAS_COPY_0')!;
    const driver = new TopologyTestDriver(query.topology, {
      processingLog: (e) => engine.processingLog.fromTopology(query.id, e),
    });
    driver.pipeRaw('votes', Buffer.from('a'), Buffer.from('{not json'), 0);
    driver.pipeRaw('votes', Buffer.from('b'), Buffer.from('{"CANDIDATE_ID": 3}'), 0);
    const out = driver.createOutputTopic('COPY', Serdes.String(), Serdes.Json()).readKeyValuesToList();
    driver.close();
    assert.equal(out.length, 1);
    const [entry] = engine.processingLog.records;
    assert.equal(entry?.queryId, 'CSAS_COPY_0');
    assert.equal(entry?.kind, 'deserialization');
    assert.equal(entry?.topic, 'votes');
    assert.equal(entry?.offset, 0);
  });

  it('logs an expression that fails and writes null for it', () => {
    const engine = new KsqlEngine();
    engine.execute(VOTES);
    engine.execute('CREATE STREAM ratio AS SELECT voter_id, 10 / candidate_id AS r FROM votes;');
    const out = run(engine, 'CSAS_RATIO_0', [['a', { CANDIDATE_ID: 0 }, 0]], 'RATIO');
    assert.deepEqual(out[0]?.value, { R: null });
    assert.match(engine.processingLog.records[0]?.reason ?? '', /by zero/);
  });
});
