import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatType } from '../types/sql-type.ts';
import type { Expr, Statement } from './ast.ts';
import { SqlSyntaxError } from './errors.ts';
import { formatExpression } from './format.ts';
import { parseExpression, parseStatements } from './parser.ts';

const one = (sql: string): Statement => {
  const all = parseStatements(sql);
  assert.equal(all.length, 1);
  return all[0] as Statement;
};

const syntaxError = (sql: string): SqlSyntaxError => {
  try {
    parseStatements(sql);
  } catch (error) {
    assert.ok(error instanceof SqlSyntaxError, `expected a SqlSyntaxError, got ${error}`);
    return error;
  }
  assert.fail(`expected ${sql} not to parse`);
};

describe('parser: CREATE STREAM / TABLE', () => {
  it('reads columns, keys and WITH properties', () => {
    const s = one(
      "CREATE STREAM votes (voter_id STRING KEY, candidate_id INT, at TIMESTAMP) WITH (KAFKA_TOPIC='votes', value_format='JSON', PARTITIONS=3);",
    );
    assert.equal(s.kind, 'createSource');
    if (s.kind !== 'createSource') return;
    assert.equal(s.name, 'VOTES');
    assert.deepEqual(
      s.columns?.map((c) => [c.name, formatType(c.type), c.key]),
      [
        ['VOTER_ID', 'STRING', true],
        ['CANDIDATE_ID', 'INTEGER', false],
        ['AT', 'TIMESTAMP', false],
      ],
    );
    assert.equal(s.properties.get('KAFKA_TOPIC'), 'votes');
    assert.equal(s.properties.get('VALUE_FORMAT'), 'JSON');
    assert.equal(s.properties.get('PARTITIONS'), 3);
  });

  it('reads PRIMARY KEY, nested types and quoted identifiers', () => {
    const s = one(
      "CREATE TABLE `Mixed` (`id` BIGINT PRIMARY KEY, m MAP<STRING, ARRAY<STRUCT<a DECIMAL(4, 2)>>>) WITH (kafka_topic='t', format='AVRO');",
    );
    assert.equal(s.kind, 'createSource');
    if (s.kind !== 'createSource') return;
    assert.equal(s.name, 'Mixed');
    assert.equal(s.columns?.[0]?.name, 'id');
    assert.equal(s.columns?.[0]?.primaryKey, true);
    assert.equal(formatType(s.columns?.[1]?.type as never), 'MAP<STRING, ARRAY<STRUCT<`A` DECIMAL(4, 2)>>>');
  });

  it('reads CREATE OR REPLACE ... AS SELECT with windows, grouping and emit', () => {
    const s = one(
      'CREATE OR REPLACE TABLE per_hour AS SELECT party, COUNT(*) AS n FROM votes WINDOW TUMBLING (SIZE 1 HOUR, GRACE PERIOD 10 MINUTES) WHERE ok GROUP BY party HAVING COUNT(*) > 1 EMIT FINAL;',
    );
    assert.equal(s.kind, 'createAsSelect');
    if (s.kind !== 'createAsSelect') return;
    assert.equal(s.orReplace, true);
    assert.deepEqual(s.query.window, {
      type: 'TUMBLING',
      sizeMs: 3_600_000,
      advanceMs: 3_600_000,
      retentionMs: null,
      graceMs: 600_000,
    });
    assert.equal(s.query.emit, 'FINAL');
    assert.equal(s.query.groupBy?.length, 1);
    assert.ok(s.query.having);
  });

  it('reads joins with WITHIN and aliases', () => {
    const s = one(
      'CREATE STREAM j AS SELECT * FROM a x LEFT JOIN b y WITHIN (1 SECOND, 2 SECONDS) GRACE PERIOD 3 SECONDS ON x.id = y.id JOIN c ON y.k = c.k;',
    );
    if (s.kind !== 'createAsSelect') return assert.fail('not a CSAS');
    const joins = s.query.from.joins;
    assert.equal(joins.length, 2);
    assert.equal(joins[0]?.type, 'LEFT');
    assert.deepEqual(joins[0]?.within, { beforeMs: 1000, afterMs: 2000, graceMs: 3000 });
    assert.equal(joins[1]?.type, 'INNER');
    assert.equal(s.query.from.from.alias, 'X');
  });

  it('reads INSERT ... VALUES, INSERT ... SELECT, and the admin statements', () => {
    const kinds = parseStatements(`
      INSERT INTO s (a, b) VALUES (1, 'x');
      INSERT INTO s SELECT * FROM t;
      DROP STREAM IF EXISTS s DELETE TOPIC;
      TERMINATE CSAS_S_0; SHOW STREAMS; LIST TOPICS; DESCRIBE s EXTENDED; EXPLAIN CSAS_S_0;
      SET 'auto.offset.reset'='earliest'; UNSET 'auto.offset.reset';
      DEFINE x = 'y'; UNDEFINE x;
    `).map((s) => s.kind);
    assert.deepEqual(kinds, [
      'insertValues',
      'insertInto',
      'drop',
      'terminate',
      'show',
      'show',
      'describe',
      'explain',
      'set',
      'unset',
      'define',
      'undefine',
    ]);
  });

  it('skips comments and keeps each statement text', () => {
    const all = parseStatements(
      "-- first\nCREATE STREAM a (x INT) WITH (kafka_topic='a', value_format='JSON'); /* second */ SELECT * FROM a EMIT CHANGES;",
    );
    assert.equal(all.length, 2);
    assert.equal(all[1]?.text, 'SELECT * FROM a EMIT CHANGES;');
    assert.deepEqual(all[1]?.pos, { line: 2, column: 83 });
  });
});

describe('parser: expressions', () => {
  const round = (sql: string) => formatExpression(parseExpression(sql));

  it('binds AND tighter than OR, and comparisons tighter than AND', () => {
    assert.equal(round('a = 1 OR b = 2 AND NOT c'), '((A = 1) OR ((B = 2) AND (NOT C)))');
  });

  it('binds * tighter than +, and unary minus on literals', () => {
    assert.equal(round('1 + 2 * -3'), '(1 + (2 * -3))');
  });

  it('reads predicates: BETWEEN, IN, LIKE, IS [NOT] NULL, IS DISTINCT FROM', () => {
    assert.equal(
      round("x NOT BETWEEN 1 AND 2 AND y IN (1, 2) AND z LIKE 'a%' AND w IS NOT NULL"),
      "((((X NOT BETWEEN 1 AND 2) AND (Y IN (1, 2))) AND (Z LIKE 'a%')) AND (W IS NOT NULL))",
    );
    assert.equal(round('a IS DISTINCT FROM b'), '(A IS DISTINCT FROM B)');
  });

  it('reads CASE, CAST, struct / array / map access and constructors', () => {
    assert.equal(round("CASE WHEN a > 1 THEN 'x' ELSE 'y' END"), "(CASE WHEN (A > 1) THEN 'x' ELSE 'y' END)");
    assert.equal(round('CAST(a AS DECIMAL(5, 2))'), 'CAST(A AS DECIMAL(5, 2))');
    assert.equal(round("s->f[1]['k']"), "S->F[1]['k']");
    assert.equal(round("STRUCT(a := 1, b := 'x')"), "STRUCT(A:=1, B:='x')");
    assert.equal(round('ARRAY[1, 2]'), 'ARRAY[1, 2]');
    assert.equal(round("MAP('k' := 1)"), "MAP('k':=1)");
  });

  it('reads lambdas inside function calls', () => {
    const e = parseExpression('TRANSFORM(xs, (x) => x + 1)') as Extract<Expr, { kind: 'call' }>;
    assert.equal(e.args[1]?.kind, 'lambda');
    assert.equal(round('FILTER(xs, x => x > 1)'), 'FILTER(XS, (X) => (X > 1))');
  });

  it('keeps decimal literals apart from doubles', () => {
    assert.deepEqual(parseExpression('1.50'), { kind: 'literal', type: 'DECIMAL', value: 1.5, text: '1.50' });
    assert.deepEqual(parseExpression('1.5E2'), { kind: 'literal', type: 'DOUBLE', value: 150 });
  });
});

describe('parser: syntax errors', () => {
  it('names the line, the column and the unexpected token', () => {
    const e = syntaxError("CREATE STREAM a (x INT) WITH (kafka_topic='a', value_format='JSON');\nSELECT * FROM FROM;");
    assert.equal(e.line, 2);
    assert.equal(e.column, 15);
    assert.equal(e.token, 'FROM');
    assert.match(e.message, /^line 2:15: Syntax Error\nUnexpected 'FROM'/);
  });

  it("says what was missing, in ksqlDB's words", () => {
    const e = syntaxError('CREATE TABLE OUTPUT AS SELECT f1, f2, COUNT(*) FROM TEST GROUP BY f3, (f2, f1);');
    assert.equal(e.message, "line 1:74: Syntax Error\nmissing ')' at ','");
  });

  it('rejects unknown types at their position', () => {
    const e = syntaxError("CREATE STREAM s (a WIDGET) WITH (kafka_topic='s', value_format='JSON');");
    assert.equal(e.column, 20);
    assert.match(e.message, /Syntax error at or near 'WIDGET' at line 1:20/);
  });

  it('reports an unterminated string where it starts', () => {
    const e = syntaxError("SELECT 'abc FROM s;");
    assert.deepEqual([e.line, e.column], [1, 8]);
  });
});
