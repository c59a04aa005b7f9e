import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KsqlEngine } from '../execution/engine.ts';
import type { DataSource } from '../metastore/metastore.ts';
import type { Expr, Query } from '../parser/ast.ts';
import { parseStatements } from '../parser/parser.ts';
import {
  analyzePullWhere,
  parsePartialTimestamp,
  rewriteMagicTimestamps,
  tableScansEnabled,
} from './pull-query-where.ts';

const engine = new KsqlEngine();
engine.execute(`
  CREATE STREAM INPUT (ID INT KEY, COL INT, NAME STRING) WITH (kafka_topic='input', format='JSON');
  CREATE TABLE AGG AS SELECT ID, COUNT(1) AS COUNT FROM INPUT GROUP BY ID;
  CREATE TABLE MULTI AS SELECT ID, COL, COUNT(1) AS COUNT FROM INPUT GROUP BY ID, COL;
`);

function where(sql: string): Expr {
  const statement = parseStatements(sql)[0] as { query: Query };
  return statement.query.where as Expr;
}

function analyze(table: string, condition: string, scans = true) {
  const source = engine.metastore.source(table) as DataSource;
  return analyzePullWhere(engine, source, table, where(`SELECT * FROM ${table} WHERE ${condition};`), scans);
}

describe('pull-query WHERE clauses (ksqlDB QueryFilterNode rules)', () => {
  it('reads the keys of every disjunct, IN lists and ORs alike, in the order they are named', () => {
    assert.deepEqual(analyze('AGG', 'ID IN (10, 8)').keys, [[10], [8]]);
    assert.deepEqual(analyze('AGG', 'ID = 3 OR (ID = 1 AND COUNT > 2)').keys, [[3], [1]]);
    assert.deepEqual(analyze('AGG', 'NOT (ID <> 2)').keys, [[2]]);
    assert.deepEqual(analyze('MULTI', 'ID = 1 AND COL = 2').keys, [[1, 2]]);
  });

  it('scans when a disjunct does not pin the key and table scans are enabled', () => {
    assert.equal(analyze('AGG', 'COUNT > 1').keys, null);
    assert.equal(analyze('AGG', 'ID > 1').keys, null);
    assert.equal(analyze('AGG', 'ID = 1 OR COUNT = 2').keys, null);
    assert.equal(analyze('MULTI', 'ID = 1').keys, null);
  });

  it('fails as ksqlDB does when table scans are disabled', () => {
    const fails = (table: string, condition: string, message: string) =>
      assert.throws(
        () => analyze(table, condition, false),
        (e: Error) => e.message.startsWith(message),
      );
    fails('AGG', 'COUNT = 100', 'WHERE clause missing key column for disjunct: (COUNT = 100)');
    fails('AGG', 'ID <> 1', "Bound on key columns '[`ID` INTEGER KEY]' must currently be '='. ");
    fails('AGG', '0 < ID AND ID < 100', 'A comparison condition on the key column cannot be combined');
    fails('AGG', 'ID + 10 = 20', 'A comparison must directly reference a key column.');
    fails('AGG', 'ID = COUNT - 1', 'A comparison must be between a key column and a resolvable expression.');
    fails('MULTI', 'ID = 10', 'Multi-column sources must specify every key in the WHERE clause');
  });

  it('rejects NULL keys and keys of another type, scans or not', () => {
    const failsWith = (condition: string, message: string) =>
      assert.throws(
        () => analyze('AGG', condition),
        (e: Error) => e.message === message,
      );
    failsWith('ID IN (NULL)', 'Primary key columns can not be NULL: (ID = null)');
    failsWith("ID IN ('10', 8)", "'10' can not be converted to the type of the key column: ID INTEGER KEY");
  });

  it('reads the table-scan setting from the request, then the server, on by default', () => {
    assert.equal(tableScansEnabled({}, {}), true);
    assert.equal(tableScansEnabled({ 'ksql.query.pull.table.scan.enabled': false }, {}), false);
    assert.equal(tableScansEnabled({}, { 'ksql.query.pull.table.scan.enabled': 'false' }), false);
    assert.equal(
      tableScansEnabled(
        { 'ksql.query.pull.table.scan.enabled': 'true' },
        { 'ksql.query.pull.table.scan.enabled': false },
      ),
      true,
    );
  });
});

describe('magic timestamps', () => {
  it('parses partial datetimes with optional offsets, as UTC without one', () => {
    assert.equal(parsePartialTimestamp('2020-02-23T23:45:12.000'), Date.UTC(2020, 1, 23, 23, 45, 12));
    assert.equal(parsePartialTimestamp('2020-02-23T22:45:12.000-0100'), Date.UTC(2020, 1, 23, 23, 45, 12));
    assert.equal(parsePartialTimestamp('2020-02-22T23:45'), Date.UTC(2020, 1, 22, 23, 45));
    assert.equal(parsePartialTimestamp('2020-02'), Date.UTC(2020, 1, 1));
    assert.throws(() => parsePartialTimestamp('yesterday'), /Failed to parse timestamp 'yesterday'/);
  });

  it('turns a string compared with a window bound or ROWTIME into epoch millis', () => {
    const rewritten = rewriteMagicTimestamps(
      where("SELECT * FROM AGG WHERE '2020-02-22T23:45' <= WINDOWSTART AND NAME = 'x';"),
    );
    assert.deepEqual((rewritten as { left: { left: unknown } }).left.left, {
      kind: 'literal',
      type: 'BIGINT',
      value: Date.UTC(2020, 1, 22, 23, 45),
    });
    assert.deepEqual((rewritten as { right: { right: unknown } }).right.right, {
      kind: 'literal',
      type: 'STRING',
      value: 'x',
    });
  });
});
