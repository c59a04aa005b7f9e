import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KsqlEngine } from '../execution/engine.ts';
import { KsqlPipelineDriver } from '../execution/pipeline-driver.ts';
import { sourceValueSerde } from '../planner/physical-plan.ts';
import type { Row } from '../types/schema.ts';
import { valueSerde } from './formats.ts';
import { sharedDecoding } from './shared-decoding.ts';

const COLUMNS = [
  { name: 'CANDIDATE_ID', type: { base: 'STRING' } },
  { name: 'AGES', type: { base: 'ARRAY', element: { base: 'INTEGER' } } },
] as never;

/** A JSON value serde that counts how often it really decodes. */
function countingSerde() {
  const inner = valueSerde('JSON', COLUMNS);
  const counter = { decoded: 0 };
  const serde = sharedDecoding({
    serialize: inner.serialize,
    deserialize: (topic, bytes) => {
      counter.decoded++;
      return inner.deserialize(topic, bytes);
    },
  });
  return { serde, counter };
}

const bytes = (text: string) => Buffer.from(text, 'utf8');

test('equal bytes in different buffers are decoded once and read as the same row', () => {
  const { serde, counter } = countingSerde();
  const first = serde.deserialize('votes', bytes('{"candidate_id":"C1","ages":[30,40]}'));
  const second = serde.deserialize('votes', bytes('{"candidate_id":"C1","ages":[30,40]}'));
  const other = serde.deserialize('votes', bytes('{"candidate_id":"C2","ages":[]}'));
  assert.deepEqual(first, { CANDIDATE_ID: 'C1', AGES: [30, 40] });
  assert.equal(second, first);
  assert.deepEqual(other, { CANDIDATE_ID: 'C2', AGES: [] });
  assert.equal(counter.decoded, 2);
});

test('a shared row is frozen all the way down, so a reader cannot change what another reads', () => {
  const { serde } = countingSerde();
  const row = serde.deserialize('votes', bytes('{"candidate_id":"C1","ages":[30]}')) as Row;
  assert.throws(() => {
    row.CANDIDATE_ID = 'C9';
  }, TypeError);
  assert.throws(() => (row.AGES as number[]).push(50), TypeError);
});

test('records that cannot be read still fail for every reader, and are not remembered', () => {
  const { serde, counter } = countingSerde();
  for (let i = 0; i < 2; i++) assert.throws(() => serde.deserialize('votes', bytes('{"candidate_id":')), /votes/);
  assert.equal(counter.decoded, 2);
  assert.equal(serde.deserialize('votes', null), null);
});

test('rows holding values that cannot be frozen are decoded for each reader', () => {
  let decoded = 0;
  const serde = sharedDecoding({
    serialize: () => null,
    deserialize: () => {
      decoded++;
      return { PAYLOAD: Buffer.from('x') };
    },
  });
  const a = serde.deserialize('t', bytes('1'));
  const b = serde.deserialize('t', bytes('1'));
  assert.notEqual(a, b);
  assert.equal(decoded, 2);
  assert.equal(Object.isFrozen(a), false);
});

test('only the latest records are remembered: two generations of the given size', () => {
  let decoded = 0;
  const serde = sharedDecoding(
    {
      serialize: () => null,
      deserialize: (_t, b) => {
        decoded++;
        return { N: Number(b?.toString()) };
      },
    },
    2,
  );
  for (const n of [1, 2, 3, 4, 5]) serde.deserialize('t', bytes(String(n)));
  assert.equal(decoded, 5);
  serde.deserialize('t', bytes('4')); // still remembered
  assert.equal(decoded, 5);
  serde.deserialize('t', bytes('1')); // forgotten two generations ago
  assert.equal(decoded, 6);
});

test('queries reading one source share its value serde, and each gets the right answer', () => {
  const engine = new KsqlEngine();
  engine.execute(`CREATE STREAM votes (voter_id STRING KEY, candidate_id STRING, age INT)
    WITH (KAFKA_TOPIC='votes', VALUE_FORMAT='JSON', PARTITIONS=1);`);
  engine.execute(
    'CREATE TABLE by_candidate AS SELECT candidate_id, COUNT(*) AS votes FROM votes GROUP BY candidate_id;',
  );
  engine.execute('CREATE TABLE oldest AS SELECT candidate_id, MAX(age) AS oldest FROM votes GROUP BY candidate_id;');
  engine.execute('CREATE STREAM young AS SELECT * FROM votes WHERE age < 30;');
  const source = engine.metastore.source('VOTES');
  assert.ok(source);
  assert.equal(sourceValueSerde(source), sourceValueSerde(source));

  const driver = new KsqlPipelineDriver(engine);
  const votes = [
    ['V1', 'C1', 25],
    ['V2', 'C1', 61],
    ['V3', 'C2', 44],
  ] as const;
  for (const [voter, candidate, age] of votes) {
    driver.pipe('votes', voter, JSON.stringify({ candidate_id: candidate, age }), 1_000);
  }
  driver.flush();
  const rows = (name: string) => {
    const sink = engine.metastore.source(name);
    assert.ok(sink);
    return [...driver.latestRows(sink)].map(([key, row]) => [JSON.parse(key)[0], row] as const);
  };
  assert.deepEqual(
    rows('BY_CANDIDATE').map(([candidate, r]) => [candidate, r.VOTES]),
    [
      ['C1', 2],
      ['C2', 1],
    ],
  );
  assert.deepEqual(
    rows('OLDEST').map(([candidate, r]) => [candidate, r.OLDEST]),
    [
      ['C1', 61],
      ['C2', 44],
    ],
  );
  assert.deepEqual(
    driver.records('YOUNG').map((r) => r.key?.toString()),
    ['V1'],
  );
  driver.close();
});
