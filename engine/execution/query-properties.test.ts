import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { KsqlEngine } from './engine.ts';
import { cacheMaxBytesOf } from './query-properties.ts';

const SOURCE = `CREATE STREAM votes (voter_id STRING KEY, candidate STRING) WITH (kafka_topic='votes', value_format='JSON');`;

describe('query properties', () => {
  test('a query keeps the properties SET before it; UNSET ends them for the next', () => {
    const engine = new KsqlEngine();
    engine.execute(`${SOURCE}
      SET 'cache.max.bytes.buffering'='0';
      CREATE TABLE first AS SELECT voter_id, COUNT(*) AS n FROM votes GROUP BY voter_id;
      UNSET 'cache.max.bytes.buffering';
      CREATE TABLE second AS SELECT candidate, COUNT(*) AS n FROM votes GROUP BY candidate;`);
    const [first, second] = engine.queries();
    assert.equal(cacheMaxBytesOf(first?.properties ?? {}), 0);
    assert.equal(cacheMaxBytesOf(second?.properties ?? {}), undefined);
  });

  test("a statement's overrides (a request's streamsProperties) go with its query", () => {
    const engine = new KsqlEngine();
    engine.execute(SOURCE);
    const [statement] = engine.execute('CREATE STREAM copy AS SELECT * FROM votes;').map((r) => r.statement);
    const other = new KsqlEngine();
    other.execute(SOURCE);
    assert.ok(statement);
    other.executeStatement(statement, { 'ksql.streams.statestore.cache.max.bytes': '1024' });
    assert.equal(cacheMaxBytesOf(other.queries()[0]?.properties ?? {}), 1024);
    assert.equal(other.config['ksql.streams.statestore.cache.max.bytes'], undefined, 'overrides are not kept');
  });

  test('reads both cache settings, the KIP-770 name first, and refuses a value that is no size', () => {
    assert.equal(cacheMaxBytesOf({ 'statestore.cache.max.bytes': 5, 'cache.max.bytes.buffering': 7 }), 5);
    assert.equal(cacheMaxBytesOf({ 'ksql.streams.cache.max.bytes.buffering': '7' }), 7);
    assert.throws(() => cacheMaxBytesOf({ 'cache.max.bytes.buffering': 'lots' }), /whole number of bytes/);
  });
});
