import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MalformedFrameError } from '../errors.ts';
import { Decoder } from './decoder.ts';
import { Encoder } from './encoder.ts';

const bytes = (...values: number[]) => Buffer.from(values);
const encode = (write: (e: Encoder) => void) => {
  const encoder = new Encoder();
  write(encoder);
  return encoder.toBuffer();
};

describe('unsigned varints (compact lengths, tags)', () => {
  const cases: [number, number[]][] = [
    [0, [0x00]],
    [1, [0x01]],
    [127, [0x7f]],
    [128, [0x80, 0x01]],
    [300, [0xac, 0x02]],
    [16384, [0x80, 0x80, 0x01]],
    [0xffffffff, [0xff, 0xff, 0xff, 0xff, 0x0f]],
  ];
  for (const [value, wire] of cases) {
    test(`${value} <-> ${Buffer.from(wire).toString('hex')}`, () => {
      assert.deepEqual(
        encode((e) => e.uvarint(value)),
        Buffer.from(wire),
      );
      const decoder = new Decoder(Buffer.from(wire));
      assert.equal(decoder.uvarint(), value);
      assert.equal(decoder.remaining, 0);
    });
  }

  test('rejects a varint longer than 5 bytes', () => {
    assert.throws(() => new Decoder(bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0x01)).uvarint(), MalformedFrameError);
  });

  test('rejects a 5-byte varint above 2^32-1', () => {
    assert.throws(() => new Decoder(bytes(0xff, 0xff, 0xff, 0xff, 0x1f)).uvarint(), MalformedFrameError);
  });

  test('refuses to encode negative or fractional values', () => {
    assert.throws(() => encode((e) => e.uvarint(-1)), RangeError);
    assert.throws(() => encode((e) => e.uvarint(1.5)), RangeError);
  });
});

describe('zigzag varints (record fields) differ from unsigned ones', () => {
  const cases: [number, number[]][] = [
    [0, [0x00]],
    [-1, [0x01]],
    [1, [0x02]],
    [-2, [0x03]],
    [63, [0x7e]],
    [-64, [0x7f]],
    [64, [0x80, 0x01]],
    [2147483647, [0xfe, 0xff, 0xff, 0xff, 0x0f]],
    [-2147483648, [0xff, 0xff, 0xff, 0xff, 0x0f]],
  ];
  for (const [value, wire] of cases) {
    test(`varint ${value} <-> ${Buffer.from(wire).toString('hex')}`, () => {
      assert.deepEqual(
        encode((e) => e.varint(value)),
        Buffer.from(wire),
      );
      assert.equal(new Decoder(Buffer.from(wire)).varint(), value);
    });
  }

  test('the same byte reads as 1 unsigned and -1 zigzag', () => {
    assert.equal(new Decoder(bytes(0x01)).uvarint(), 1);
    assert.equal(new Decoder(bytes(0x01)).varint(), -1);
  });

  test('varint refuses values outside int32', () => {
    assert.throws(() => encode((e) => e.varint(2147483648)), RangeError);
  });
});

describe('zigzag varlongs', () => {
  const cases: [bigint, string][] = [
    [0n, '00'],
    [-1n, '01'],
    [1n, '02'],
    [9223372036854775807n, 'feffffffffffffffff01'],
    [-9223372036854775808n, 'ffffffffffffffffff01'],
  ];
  for (const [value, hex] of cases) {
    test(`varlong ${value} <-> ${hex}`, () => {
      assert.equal(encode((e) => e.varlong(value)).toString('hex'), hex);
      const decoder = new Decoder(Buffer.from(hex, 'hex'));
      assert.equal(decoder.varlong(), value);
      assert.equal(decoder.remaining, 0);
    });
  }

  test('varlong refuses values outside int64', () => {
    assert.throws(() => encode((e) => e.varlong(9223372036854775808n)), RangeError);
  });
});

describe('fixed-width integers', () => {
  test('int64 bounds round-trip as bigint', () => {
    for (const value of [-9223372036854775808n, -1n, 0n, 9223372036854775807n]) {
      assert.equal(new Decoder(encode((e) => e.int64(value))).int64(), value);
    }
  });

  test('uint32 reads the top bit as unsigned, int32 as signed', () => {
    const wire = bytes(0xff, 0xff, 0xff, 0xfe);
    assert.equal(new Decoder(wire).uint32(), 4294967294);
    assert.equal(new Decoder(wire).int32(), -2);
  });

  test('big-endian int16 and int8', () => {
    assert.deepEqual(
      encode((e) => e.int16(-2).int8(-1)),
      bytes(0xff, 0xfe, 0xff),
    );
  });
});

describe('strings, bytes and arrays', () => {
  test('string and nullable string use an int16 length, -1 for null', () => {
    assert.deepEqual(
      encode((e) => e.string('hé')),
      bytes(0x00, 0x03, 0x68, 0xc3, 0xa9),
    );
    assert.deepEqual(
      encode((e) => e.nullableString(null)),
      bytes(0xff, 0xff),
    );
    assert.equal(new Decoder(bytes(0xff, 0xff)).nullableString(), null);
    assert.equal(new Decoder(bytes(0x00, 0x03, 0x68, 0xc3, 0xa9)).string(), 'hé');
  });

  test('a null where a string is required is malformed', () => {
    assert.throws(() => new Decoder(bytes(0xff, 0xff)).string('topic'), /null in a non-nullable string.*topic/);
  });

  test('compact strings store length+1; 0 is null and 1 is empty', () => {
    assert.deepEqual(
      encode((e) => e.compactString('ab')),
      bytes(0x03, 0x61, 0x62),
    );
    assert.deepEqual(
      encode((e) => e.compactNullableString(null)),
      bytes(0x00),
    );
    assert.deepEqual(
      encode((e) => e.compactString('')),
      bytes(0x01),
    );
    assert.equal(new Decoder(bytes(0x00)).compactNullableString(), null);
    assert.equal(new Decoder(bytes(0x01)).compactString(), '');
    assert.throws(() => new Decoder(bytes(0x00)).compactString(), MalformedFrameError);
  });

  test('bytes are slices of the input, not copies', () => {
    const input = bytes(0x00, 0x00, 0x00, 0x02, 0xaa, 0xbb);
    const slice = new Decoder(input).bytes();
    assert.deepEqual(slice, bytes(0xaa, 0xbb));
    assert.equal(slice.buffer, input.buffer);
    assert.equal(new Decoder(bytes(0xff, 0xff, 0xff, 0xff)).nullableBytes(), null);
  });

  test('compact bytes and compact null', () => {
    assert.deepEqual(
      encode((e) => e.compactBytes(bytes(7))),
      bytes(0x02, 0x07),
    );
    assert.equal(new Decoder(bytes(0x00)).compactNullableBytes(), null);
  });

  test('arrays: int32 count, -1 null; compact arrays: count+1, 0 null', () => {
    assert.deepEqual(
      encode((e) => e.int32Array([1, 2])),
      bytes(0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2),
    );
    assert.deepEqual(new Decoder(bytes(0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2)).int32Array(), [1, 2]);
    assert.equal(
      new Decoder(bytes(0xff, 0xff, 0xff, 0xff)).nullableArray((d) => d.int8()),
      null,
    );
    assert.deepEqual(
      encode((e) => e.compactArray([5], (x, v) => x.int8(v))),
      bytes(0x02, 0x05),
    );
    assert.equal(
      new Decoder(bytes(0x00)).compactNullableArray((d) => d.int8()),
      null,
    );
    assert.deepEqual(
      new Decoder(bytes(0x01)).compactArray((d) => d.int8()),
      [],
    );
  });

  test('an array count larger than the remaining bytes is rejected before allocating', () => {
    assert.throws(() => new Decoder(bytes(0x7f, 0xff, 0xff, 0xff)).array((d) => d.int8()), /invalid array count/);
  });

  test('uuid is 16 raw bytes', () => {
    const id = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    assert.deepEqual(new Decoder(encode((e) => e.uuid(id))).uuid(), id);
  });

  test('boolean is one byte, any non-zero is true', () => {
    assert.equal(new Decoder(bytes(0x02)).boolean(), true);
    assert.deepEqual(
      encode((e) => e.boolean(true).boolean(false)),
      bytes(1, 0),
    );
  });
});

describe('tagged fields', () => {
  test('unknown tags are skipped, known ones handed over', () => {
    // 2 fields: tag 0 with 2 bytes, tag 5 with 1 byte; then an int8 after the buffer.
    const decoder = new Decoder(bytes(0x02, 0x00, 0x02, 0xca, 0xfe, 0x05, 0x01, 0x09, 0x2a));
    const seen: number[] = [];
    decoder.taggedFields((tag, field) => {
      if (tag === 5) seen.push(field.int8());
    });
    assert.deepEqual(seen, [9]);
    assert.equal(decoder.int8(), 0x2a);
  });

  test('a tagged field longer than the buffer is malformed', () => {
    assert.throws(() => new Decoder(bytes(0x01, 0x00, 0x05, 0x00)).taggedFields(), MalformedFrameError);
  });
});

describe('truncated input throws MalformedFrameError, never a RangeError or garbage', () => {
  const reads: [string, (d: Decoder) => unknown][] = [
    ['int16', (d) => d.int16()],
    ['int32', (d) => d.int32()],
    ['int64', (d) => d.int64()],
    ['string', (d) => d.string()],
    ['bytes', (d) => d.bytes()],
    ['uvarint', (d) => d.uvarint()],
    ['uuid', (d) => d.uuid()],
  ];
  for (const [name, read] of reads) {
    test(name, () => {
      // A length or value cut short.
      const input = name === 'uvarint' ? bytes(0x80) : name === 'int16' ? bytes(0x00) : bytes(0x00, 0x05, 0x00);
      assert.throws(
        () => read(new Decoder(input)),
        (error: unknown) => {
          assert.ok(error instanceof MalformedFrameError);
          return true;
        },
      );
    });
  }

  test('the error names the field and the offset', () => {
    const decoder = new Decoder(bytes(0x00, 0x01, 0x00));
    decoder.int16();
    assert.throws(() => decoder.int32('timeout_ms'), /field timeout_ms at byte 2/);
  });

  test('a negative length other than -1 is malformed', () => {
    assert.throws(() => new Decoder(bytes(0xff, 0xfe)).nullableString(), /negative string length/);
  });
});

describe('Encoder', () => {
  test('grows past its initial capacity', () => {
    const encoder = new Encoder(4);
    for (let i = 0; i < 1000; i++) encoder.int32(i);
    const out = encoder.toBuffer();
    assert.equal(out.length, 4000);
    assert.equal(out.readInt32BE(3996), 999);
  });

  test('large byte fields become their own chunk and are not copied', () => {
    const records = Buffer.alloc(64 * 1024, 7);
    const encoder = new Encoder().int32(0).nullableBytes(records).int16(1);
    const chunks = encoder.toChunks();
    assert.equal(chunks.length, 3);
    assert.equal(chunks[1], records);
    encoder.patchInt32(0, encoder.length - 4);
    const joined = encoder.toBuffer();
    assert.equal(joined.length, 4 + 4 + records.length + 2);
    assert.equal(joined.readInt32BE(0), joined.length - 4);
    assert.equal(joined.readInt32BE(4), records.length);
  });
});
