import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rowBuilder, rowPicker, sourceRowBuilder } from './row-builder.ts';

/** The same fields in the same order, and the same JSON text. */
function assertSameRow(actual: object, expected: object): void {
  assert.deepEqual(Object.keys(actual), Object.keys(expected));
  assert.equal(JSON.stringify(actual), JSON.stringify(expected));
}

describe('rows built from compiled object literals', () => {
  it('rowBuilder: each field from its function, in order, names of any text', () => {
    const calls: string[] = [];
    const fields = ['B', 'A', 'with "quotes"\\', '1', 'é\u2028'];
    const build = rowBuilder(
      fields,
      fields.map((f) => (row: { n: number }) => {
        calls.push(f);
        return `${f}:${row.n}`;
      }),
    );
    const row = build({ n: 7 });
    const expected: Record<string, unknown> = {};
    for (const f of fields) expected[f] = `${f}:7`;
    assertSameRow(row, expected);
    assert.deepEqual(calls, fields);
  });

  it('rowBuilder and rowPicker: __proto__ and repeated names build what a loop of assignments builds', () => {
    const loop = (fields: string[], values: unknown[]) => {
      const out: Record<string, unknown> = {};
      fields.forEach((f, i) => {
        out[f] = values[i];
      });
      return out;
    };
    const build = rowBuilder(['__proto__', 'X', 'X'], [() => 1, () => 2, () => 3]);
    const row = build(null);
    assert.equal(Object.getPrototypeOf(row), Object.prototype);
    assertSameRow(row, loop(['__proto__', 'X', 'X'], [1, 2, 3]));
    const pick = rowPicker(['__proto__', 'A']);
    const picked = pick(JSON.parse('{"__proto__": 5, "A": 1}'));
    assert.equal(Object.getPrototypeOf(picked), Object.prototype);
    assertSameRow(picked, { A: 1 });
    assert.throws(() => rowBuilder(['A'], []), /one value function per field/);
  });

  it('rowPicker: the fields in order, null for missing and undefined ones', () => {
    const pick = rowPicker(['C', 'A', 'MISSING', 'U']);
    assertSameRow(pick({ A: 1, B: 2, C: 'c', U: undefined }), { C: 'c', A: 1, MISSING: null, U: null });
  });

  it('sourceRowBuilder: key columns, value columns by their names, then the pseudo columns', () => {
    const build = sourceRowBuilder({
      key: ['V_VOTER_ID'],
      value: [
        { field: 'V_VOTE_ID', column: 'VOTE_ID' },
        { field: 'V_CAST_AT', column: 'CAST_AT' },
      ],
      rowtime: 'V_ROWTIME',
      rowpartition: 'V_ROWPARTITION',
      rowoffset: 'V_ROWOFFSET',
    });
    assertSameRow(build(['voter-1'], { CAST_AT: 5, VOTE_ID: 'vote-1', OTHER: true }, 10, 0, 3), {
      V_VOTER_ID: 'voter-1',
      V_VOTE_ID: 'vote-1',
      V_CAST_AT: 5,
      V_ROWTIME: 10,
      V_ROWPARTITION: 0,
      V_ROWOFFSET: 3,
    });
    assertSameRow(build([], {}, 1, 2, 3), {
      V_VOTER_ID: null,
      V_VOTE_ID: null,
      V_CAST_AT: null,
      V_ROWTIME: 1,
      V_ROWPARTITION: 2,
      V_ROWOFFSET: 3,
    });
  });
});
