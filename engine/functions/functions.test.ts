import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileExpression } from '../analyzer/expressions.ts';
import { parseExpression } from '../parser/parser.ts';
import { BIGINT, INTEGER, type SqlType, STRING } from '../types/sql-type.ts';
import { castValue, javaDouble } from '../types/values.ts';
import { formatJavaTimestamp, parseJavaTimestamp } from './datetime-format.ts';
import { createFunctionRegistry } from './index.ts';

const functions = createFunctionRegistry();
const COLUMNS: Record<string, SqlType> = { S: STRING, N: INTEGER, T: BIGINT };

/** Evaluates an expression over one row of columns S, N, T. */
function evaluate(sql: string, row: Record<string, unknown> = {}): unknown {
  const scope = {
    clause: 'SELECT',
    column: (_source: string | null, name: string) => ({ field: name, type: COLUMNS[name] as SqlType }),
  };
  return compileExpression(parseExpression(sql), scope, functions).evaluate(row);
}

describe('scalar functions', () => {
  it('SUBSTRING counts from 1 and from the end', () => {
    assert.equal(evaluate("SUBSTRING('Mr Bugalicious', 4, 3)"), 'Bug');
    assert.equal(evaluate("SUBSTRING('abc', -2)"), 'bc');
  });

  it('returns null for a null argument unless the function takes nulls', () => {
    assert.equal(evaluate('UCASE(S)', { S: null }), null);
    assert.equal(evaluate("COALESCE(S, 'x')", { S: null }), 'x');
  });

  it('formats and parses timestamps with Java patterns and zones', () => {
    assert.equal(
      formatJavaTimestamp(1526075913000, 'yyyy-MM-dd HH:mm:ss zzz', 'America/Los_Angeles'),
      '2018-05-11 14:58:33 PDT',
    );
    assert.equal(parseJavaTimestamp('2018-05-11 21:58:33', 'yyyy-MM-dd HH:mm:ss'), 1526075913000);
  });

  it('EXTRACTJSONFIELD follows a JSON path', () => {
    assert.equal(evaluate(`EXTRACTJSONFIELD('{"a": {"b": [1, "x"]}}', '$.a.b[1]')`), 'x');
  });

  it('evaluates lambdas over arrays', () => {
    assert.deepEqual(evaluate('TRANSFORM(ARRAY[1, 2], x => x * 10)'), [10, 20]);
  });
});

describe('aggregate functions', () => {
  const aggregate = (name: string, types: SqlType[], constants: unknown[], values: unknown[][]) => {
    const f = functions.aggregate(name);
    assert.ok(f);
    const a = f.create(types, constants, {});
    let acc = a.initial();
    for (const v of values) acc = a.add(acc, v);
    return a.result(acc);
  };

  it('COUNT(col) skips nulls, COUNT(*) does not', () => {
    assert.equal(aggregate('COUNT', [INTEGER], [], [[1], [null], [2]]), 2);
    assert.equal(aggregate('COUNT', [], [], [[], [], []]), 3);
  });

  it('TOPK keeps the k largest, with the other columns riding along', () => {
    assert.deepEqual(aggregate('TOPK', [INTEGER, INTEGER], [2], [[3], [9], [5]]), [9, 5]);
    assert.deepEqual(
      aggregate(
        'TOPK',
        [INTEGER, STRING, INTEGER],
        [1],
        [
          [3, 'a'],
          [9, 'b'],
        ],
      ),
      [{ sort_col: 9, col0: 'b' }],
    );
  });

  it('LATEST_BY_OFFSET ignores nulls unless told not to', () => {
    assert.equal(aggregate('LATEST_BY_OFFSET', [INTEGER], [], [[1], [null]]), 1);
    assert.deepEqual(
      aggregate('LATEST_BY_OFFSET', [INTEGER, INTEGER, { base: 'BOOLEAN' }], [2, false], [[1], [2], [null]]),
      [2, null],
    );
  });
});

describe('values', () => {
  it("writes doubles as Java's Double.toString", () => {
    assert.deepEqual([1, 0.5, 1e10, 1e-5, -0].map(javaDouble), ['1.0', '0.5', '1.0E10', '1.0E-5', '-0.0']);
  });

  it('casts between types as ksqlDB does', () => {
    assert.equal(castValue(3.9, { base: 'DOUBLE' }, INTEGER), 3);
    assert.equal(castValue(1.5, { base: 'DOUBLE' }, STRING), '1.5');
    assert.equal(castValue(0.125, { base: 'DOUBLE' }, { base: 'DECIMAL', precision: 3, scale: 2 }), 0.13);
    assert.throws(() => castValue(100, INTEGER, { base: 'DECIMAL', precision: 2, scale: 1 }), /overflow/);
  });
});
