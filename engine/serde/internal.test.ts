import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import v8 from 'node:v8';
import { constantValueSerde, internalValueSerde, keptByJson, rememberingValueSerde } from './internal.ts';

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

describe("a table store's remembering value serde", () => {
  const row = { C_CANDIDATE_ID: 'PRES-NHP', C_NAME: 'Golden Howell', C_ROWOFFSET: 3, C_TAGS: ['a'] };

  it('writes what the internal value serde writes', () => {
    const serde = rememberingValueSerde();
    assert.deepEqual(serde.serialize('t', row), internalValueSerde.serialize('t', row));
    assert.equal(serde.serialize('t', null), null);
    const v8Row = { B: Buffer.from('x') };
    assert.deepEqual(serde.serialize('t', v8Row), internalValueSerde.serialize('t', v8Row));
  });

  it('parses a row read once, and shares one frozen row from the second read of the same bytes on', () => {
    const serde = rememberingValueSerde();
    const bytes = () => internalValueSerde.serialize('t', row) as Buffer; // a new Buffer each read, as a store gives
    const first = serde.deserialize('t', bytes());
    assert.deepEqual(first, row);
    assert.equal(Object.isFrozen(first), false);
    const second = serde.deserialize('t', bytes());
    const third = serde.deserialize('t', bytes());
    assert.deepEqual(second, row);
    assert.equal(third, second);
    assert.ok(Object.isFrozen(second) && Object.isFrozen((second as typeof row).C_TAGS));
    assert.throws(() => {
      (second as Record<string, unknown>).C_NAME = 'changed';
    }, TypeError);
    const other = { ...row, C_NAME: 'Other' };
    assert.deepEqual(serde.deserialize('t', internalValueSerde.serialize('t', other)), other);
    assert.equal(serde.deserialize('t', null), null);
  });

  it('keeps rows across generations and reads V8-serialized values as the internal serde does', () => {
    const serde = rememberingValueSerde(2);
    const rows = [1, 2, 3, 4].map((n) => ({ N: n }));
    for (const r of [...rows, ...rows, ...rows])
      assert.deepEqual(serde.deserialize('t', Buffer.from(JSON.stringify(r))), r);
    assert.deepEqual(serde.deserialize('t', v8.serialize({ N: 1 })), { N: 1 });
  });
});

describe('the constant value serde', () => {
  it('writes the constant and other values as the internal value serde does, and reads the constant back as itself', () => {
    const { serde, value } = constantValueSerde({ __args: [[], []] });
    assert.ok(Object.isFrozen(value) && Object.isFrozen(value.__args[0]));
    const bytes = serde.serialize('t', value) as Buffer;
    assert.deepEqual(bytes, internalValueSerde.serialize('t', { __args: [[], []] }));
    assert.equal(serde.deserialize('t', Buffer.from(bytes)), value);
    const other = { __args: [['P1'], []] };
    const otherBytes = serde.serialize('t', other) as Buffer;
    assert.deepEqual(otherBytes, internalValueSerde.serialize('t', other));
    assert.deepEqual(serde.deserialize('t', otherBytes), other);
    assert.equal(serde.serialize('t', null), null);
    assert.equal(serde.deserialize('t', null), null);
  });
});
