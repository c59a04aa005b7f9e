import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import v8 from 'node:v8';
import { internalValueSerde, keptByJson } from './internal.ts';

const roundTrip = (value: unknown) =>
  internalValueSerde.deserialize('t', internalValueSerde.serialize('t', value) as Buffer);

describe('the internal value serde', () => {
  it('writes plain rows as JSON and reads them back equal', () => {
    const row = { VOTER_ID: 'V1', CAST_AT: 1_793_700_000_000, OK: true, NOTE: null, TAGS: ['a', 'b'], S: { X: 1.5 } };
    const bytes = internalValueSerde.serialize('t', row) as Buffer;
    assert.equal(bytes.toString('utf8'), JSON.stringify(row));
    assert.deepEqual(roundTrip(row), row);
  });

  it('keeps what JSON would change: Buffers, undefined, -0, NaN, Maps, bigints, dates', () => {
    const cases: unknown[] = [
      { B: Buffer.from('bytes') },
      { U: undefined, N: 1 },
      [-0],
      { N: Number.NaN },
      { I: Number.POSITIVE_INFINITY },
      new Map([['k', 1]]),
      { BIG: 12n },
      new Date(0),
    ];
    for (const value of cases) {
      assert.equal(keptByJson(value), false, String(value));
      const back = roundTrip(value);
      assert.deepEqual(back, value);
      if (value && typeof value === 'object' && 'B' in value) assert.ok(Buffer.isBuffer((back as { B: unknown }).B));
    }
    assert.ok(Object.is((roundTrip([-0]) as number[])[0], -0));
    // biome-ignore lint/suspicious/noSparseArray: JSON would turn the hole into null
    assert.equal(keptByJson([1, , 3]), false);
  });

  it('reads values written by V8 serialization before JSON was used', () => {
    const row = { VOTER_ID: 'V1', COUNT: 3 };
    assert.deepEqual(internalValueSerde.deserialize('t', v8.serialize(row)), row);
    assert.equal(internalValueSerde.serialize('t', null), null);
    assert.equal(internalValueSerde.deserialize('t', null), null);
  });
});
