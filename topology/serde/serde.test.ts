import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readInt64, Serdes, SerializationError, writeInt64 } from './serde.ts';
import { sessionWindowedSerde, timeWindowedSerde, windowed } from './windowed.ts';

describe('serdes', () => {
  it('encodes int32, int64 and double big-endian, as Kafka does', () => {
    assert.deepEqual(Serdes.Integer().serialize('t', -2), Buffer.from([0xff, 0xff, 0xff, 0xfe]));
    assert.deepEqual(Serdes.Long().serialize('t', 258), Buffer.from([0, 0, 0, 0, 0, 0, 1, 2]));
    assert.deepEqual(Serdes.Long().serialize('t', -1), Buffer.alloc(8, 0xff));
    assert.equal(Serdes.Long().deserialize('t', Buffer.from([0, 0, 0x01, 0x02, 0, 0, 0, 3])), 0x0102_0000_0003);
    assert.deepEqual(Serdes.Double().serialize('t', 1.5), Buffer.from([0x3f, 0xf8, 0, 0, 0, 0, 0, 0]));
    assert.equal(Serdes.Double().deserialize('t', Serdes.Double().serialize('t', -0.25)), -0.25);
  });

  it('round-trips large safe integers through int64 without BigInt', () => {
    const out = Buffer.alloc(8);
    for (const n of [0, 1, 2 ** 32, 2 ** 53 - 1, -(2 ** 53 - 1), 1_700_000_000_000]) {
      writeInt64(out, 0, n);
      assert.equal(readInt64(out, 0), n);
      assert.equal(out.readBigInt64BE(0), BigInt(n));
    }
  });

  it('keeps null as null both ways (tombstones are not errors)', () => {
    for (const serde of [Serdes.String(), Serdes.Json(), Serdes.Integer(), Serdes.Long(), Serdes.Double()]) {
      assert.equal(serde.serialize('t', null), null);
      assert.equal(serde.deserialize('t', null), null);
    }
  });

  it('rejects malformed input with a SerializationError that names the topic', () => {
    assert.throws(
      () => Serdes.Json().deserialize('votes', Buffer.from('{nope')),
      (e: Error) => e instanceof SerializationError && /votes/.test(e.message),
    );
    assert.throws(() => Serdes.Long().deserialize('counts', Buffer.from([1, 2])), SerializationError);
  });

  it('writes time-windowed keys as key bytes + 8-byte start', () => {
    const serde = timeWindowedSerde(Serdes.String(), 1000);
    const bytes = serde.serialize('t', windowed('ab', 5000, 6000)) as Buffer;
    assert.deepEqual(bytes, Buffer.concat([Buffer.from('ab'), Buffer.from([0, 0, 0, 0, 0, 0, 0x13, 0x88])]));
    assert.deepEqual(serde.deserialize('t', bytes), windowed('ab', 5000, 6000));
  });

  it('writes session-windowed keys as key bytes + 8-byte end + 8-byte start', () => {
    const serde = sessionWindowedSerde(Serdes.String());
    const bytes = serde.serialize('t', windowed('k', 10, 20)) as Buffer;
    assert.equal(bytes.length, 17);
    assert.equal(readInt64(bytes, 1), 20);
    assert.equal(readInt64(bytes, 9), 10);
    assert.deepEqual(serde.deserialize('t', bytes), windowed('k', 10, 20));
  });
});
