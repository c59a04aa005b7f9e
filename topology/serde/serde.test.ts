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

  it('reads strings of every length as UTF-8, short ASCII ones built in JavaScript', () => {
    const S = Serdes.String();
    for (let n = 0; n <= 14; n++) {
      const ascii = 'k0123456789abcdef'.slice(0, n);
      assert.equal(S.deserialize('t', Buffer.from(ascii)), ascii);
      const accented = 'é'.repeat(Math.floor(n / 2)) + 'x'.repeat(n % 2); // n bytes, not ASCII
      assert.equal(S.deserialize('t', Buffer.from(accented)), accented);
    }
  });

  it('round-trips large safe integers through int64 without BigInt', () => {
    const out = Buffer.alloc(8);
    for (const n of [0, 1, 2 ** 32, 2 ** 53 - 1, -(2 ** 53 - 1), 1_700_000_000_000]) {
      writeInt64(out, 0, n);
      assert.equal(readInt64(out, 0), n);
      assert.equal(out.readBigInt64BE(0), BigInt(n));
    }
  });

  it('writes int64 at an offset, and refuses an offset or a value that does not fit', () => {
    const out = Buffer.alloc(12, 0xaa);
    writeInt64(out, 2, -(2 ** 40) - 5);
    assert.equal(out.readBigInt64BE(2), BigInt(-(2 ** 40) - 5));
    assert.deepEqual([out[0], out[1], out[10], out[11]], [0xaa, 0xaa, 0xaa, 0xaa]);
    assert.equal(readInt64(out, 2), -(2 ** 40) - 5);
    assert.throws(() => writeInt64(out, 5, 1), RangeError);
    assert.throws(() => readInt64(out, -1), RangeError);
    assert.throws(() => writeInt64(out, 0, 2 ** 64), RangeError);
  });

  it('reads and writes strings as UTF-8, short ASCII keys and others alike', () => {
    const s = Serdes.String();
    for (const text of ['', 'c1', 'abcdefghijkl', 'abcdefghijklm', 'héllo', '✓✓', 'x'.repeat(300), '\u0000z']) {
      const bytes = s.serialize('t', text) as Buffer;
      assert.deepEqual(bytes, Buffer.from(text, 'utf8'));
      assert.equal(s.deserialize('t', bytes), text);
    }
    // Bytes that are not valid UTF-8 read as Buffer#toString reads them.
    const invalid = Buffer.from([0x61, 0xff, 0x62]);
    assert.equal(s.deserialize('t', invalid), invalid.toString('utf8'));
    const windowedKey = timeWindowedSerde(s, 10).serialize('t', windowed('héllo', 20, 30)) as Buffer;
    assert.deepEqual(windowedKey.subarray(0, -8), Buffer.from('héllo', 'utf8'));
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
