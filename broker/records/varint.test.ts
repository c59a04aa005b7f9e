import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readVarint, sizeOfVarint, VarintError, writeVarint } from './varint.ts';

function encode(value: number): number[] {
  const buffer = Buffer.alloc(10);
  const end = writeVarint(buffer, 0, value);
  assert.equal(end, sizeOfVarint(value));
  return [...buffer.subarray(0, end)];
}

describe('zigzag varints', () => {
  it('encodes the zigzag mapping Kafka uses', () => {
    assert.deepEqual(encode(0), [0x00]);
    assert.deepEqual(encode(-1), [0x01]);
    assert.deepEqual(encode(1), [0x02]);
    assert.deepEqual(encode(63), [0x7e]);
    assert.deepEqual(encode(-64), [0x7f]);
    assert.deepEqual(encode(64), [0x80, 0x01]);
    assert.deepEqual(encode(300), [0xd8, 0x04]);
  });

  it('round-trips 32-bit and 64-bit values', () => {
    const values = [0, 1, -1, 127, -128, 2 ** 31 - 1, -(2 ** 31), 1_700_000_000_000, -1_700_000_000_000, 2 ** 53 - 1];
    for (const value of values) {
      const buffer = Buffer.alloc(10);
      const end = writeVarint(buffer, 0, value);
      assert.deepEqual(readVarint(buffer, 0), { value, next: end }, `value ${value}`);
    }
  });

  it('refuses a varint cut short', () => {
    assert.throws(() => readVarint(Buffer.from([0x80, 0x80]), 0), VarintError);
  });
});
