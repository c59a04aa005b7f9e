import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Statement } from './ast.ts';
import { SqlSyntaxError } from './errors.ts';
import { parseStatements } from './parser.ts';

const one = (sql: string): Statement => {
  const all = parseStatements(sql);
  assert.equal(all.length, 1);
  return all[0] as Statement;
};

describe('parser: connector statements', () => {
  it('CREATE SINK|SOURCE CONNECTOR [IF NOT EXISTS] keeps quoted keys as written and values as text', () => {
    const s = one(`CREATE SINK CONNECTOR IF NOT EXISTS \`tally-sink\` WITH (
      "connector.class"='io.confluent.connect.jdbc.JdbcSinkConnector', 'topics'='a,b', "tasks.max"=1, "auto.create"=true);`);
    assert.equal(s.kind, 'createConnector');
    if (s.kind !== 'createConnector') return;
    assert.equal(s.type, 'SINK');
    assert.equal(s.name, 'tally-sink');
    assert.equal(s.ifNotExists, true);
    assert.deepEqual(Object.fromEntries(s.properties), {
      'connector.class': 'io.confluent.connect.jdbc.JdbcSinkConnector',
      topics: 'a,b',
      'tasks.max': '1',
      'auto.create': 'true',
    });
    const source = one(`CREATE SOURCE CONNECTOR s WITH ("connector.class"='x');`);
    assert.deepEqual(source.kind === 'createConnector' && [source.type, source.name, source.ifNotExists], [
      'SOURCE',
      'S',
      false,
    ]);
  });

  it('CREATE SOURCE STREAM/TABLE still means a read-only source', () => {
    const s = one(`CREATE SOURCE TABLE t (id INT PRIMARY KEY) WITH (kafka_topic='t', value_format='JSON');`);
    assert.equal(s.kind, 'createSource');
  });

  it('SHOW|LIST [SOURCE|SINK] CONNECTORS, DESCRIBE CONNECTOR, DROP CONNECTOR [IF EXISTS]', () => {
    assert.deepEqual(one('SHOW CONNECTORS;'), {
      kind: 'listConnectors',
      scope: 'ALL',
      text: 'SHOW CONNECTORS;',
      pos: one('SHOW CONNECTORS;').pos,
    });
    for (const [sql, scope] of [
      ['LIST CONNECTORS;', 'ALL'],
      ['SHOW SINK CONNECTORS;', 'SINK'],
      ['list source connectors;', 'SOURCE'],
    ] as const) {
      const s = one(sql);
      assert.deepEqual(s.kind === 'listConnectors' && s.scope, scope, sql);
    }
    const described = one('DESCRIBE CONNECTOR "my-sink";');
    assert.deepEqual(described.kind === 'describeConnector' && described.name, 'my-sink');
    // A source that happens to be called CONNECTOR is still described as a source.
    const source = one('DESCRIBE CONNECTOR;');
    assert.deepEqual(source.kind === 'describe' && source.name, 'CONNECTOR');
    const dropped = one('DROP CONNECTOR IF EXISTS `tally-sink`;');
    assert.deepEqual(dropped.kind === 'drop' && [dropped.type, dropped.name, dropped.ifExists], [
      'CONNECTOR',
      'tally-sink',
      true,
    ]);
  });

  it('a connector without a WITH clause is a syntax error', () => {
    assert.throws(() => parseStatements('CREATE SINK CONNECTOR s;'), SqlSyntaxError);
  });
});
