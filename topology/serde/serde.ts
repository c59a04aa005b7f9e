/**
 * Serdes turn keys and values into the bytes Kafka stores, and back.
 *
 * The contract mirrors Kafka's Serializer/Deserializer pair: `null` stays
 * `null` in both directions (a null value is a tombstone, never an encoding
 * error), and `deserialize` throws on bytes it cannot read; the runtime turns
 * that throw into a processing-log entry and skips the record.
 */
// Buffer from its module: the global Buffer is a getter, and these functions run for every record.
import { Buffer } from 'node:buffer';
import type { Headers } from '../processor/record.ts';

export interface Serde<T> {
  serialize(topic: string, value: T | null, headers?: Headers): Buffer | null;
  deserialize(topic: string, bytes: Buffer | null, headers?: Headers): T | null;
  /**
   * True when the bytes depend only on the value, never on the topic (the
   * built-in serdes; not a schema-registry serde, whose schema id follows the
   * subject). The runtime then reuses the bytes a key was read from.
   */
  readonly topicIndependent?: boolean;
  /**
   * A windowed key's serde: how many bytes of window its keys end with.
   * Records are placed by the key before them (Kafka Streams'
   * WindowedStreamPartitioner), so every window of a key shares its partition.
   */
  readonly windowBytes?: number;
}

/** Thrown by a deserializer; the message is the reason written to the processing log. */
export class SerializationError extends Error {
  override name = 'SerializationError';
}

const stringSerde: Serde<string> = {
  topicIndependent: true,
  serialize: (_topic, value) => {
    if (value === null) return null;
    const out = Buffer.allocUnsafe(utf8Length(value));
    writeUtf8(value, out, 0);
    return out;
  },
  deserialize: (_topic, bytes) => (bytes === null ? null : utf8String(bytes)),
};

/** Up to this many bytes, a string built in JavaScript is flat (V8 makes cons strings from 13 characters). */
export const SHORT_STRING_BYTES = 12;

/**
 * UTF-8 bytes as a string. A short ASCII key (the usual record key) is built
 * in JavaScript: crossing into C++ for Buffer#toString costs more than the
 * decoding. toString() without arguments is UTF-8 and skips Buffer's
 * encoding lookup.
 */
/** UTF-8 length of a string; a short ASCII one is measured in JavaScript (see utf8String). */
export function utf8Length(value: string): number {
  return isShortAscii(value) ? value.length : Buffer.byteLength(value, 'utf8');
}

/** Writes a string as UTF-8 at `at` (room for utf8Length(value) bytes is the caller's). */
export function writeUtf8(value: string, out: Buffer, at: number): void {
  if (!isShortAscii(value)) {
    out.write(value, at, 'utf8');
    return;
  }
  for (let i = 0; i < value.length; i++) out[at + i] = value.charCodeAt(i);
}

function isShortAscii(value: string): boolean {
  if (value.length > SHORT_STRING_BYTES) return false;
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) > 0x7f) return false;
  return true;
}

export function utf8String(bytes: Buffer): string {
  const n = bytes.length;
  if (n > SHORT_STRING_BYTES) return bytes.toString();
  let high = 0;
  for (let i = 0; i < n; i++) high |= bytes[i] as number;
  return high > 0x7f ? bytes.toString() : shortLatin1String(bytes, n);
}

/**
 * The first `n` (at most SHORT_STRING_BYTES) bytes as a latin1 string, one
 * character per byte, made in one call: appending character by character
 * makes a string per byte and took twice as long.
 */
export function shortLatin1String(b: Uint8Array, n: number): string {
  switch (n) {
    case 0:
      return '';
    case 1:
      return chars(b[0]);
    case 2:
      return chars(b[0], b[1]);
    case 3:
      return chars(b[0], b[1], b[2]);
    case 4:
      return chars(b[0], b[1], b[2], b[3]);
    case 5:
      return chars(b[0], b[1], b[2], b[3], b[4]);
    case 6:
      return chars(b[0], b[1], b[2], b[3], b[4], b[5]);
    case 7:
      return chars(b[0], b[1], b[2], b[3], b[4], b[5], b[6]);
    case 8:
      return chars(b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]);
    case 9:
      return chars(b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8]);
    case 10:
      return chars(b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9]);
    case 11:
      return chars(b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10]);
    case 12:
      return chars(b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11]);
    default:
      return Buffer.from(b.buffer, b.byteOffset, n).toString('latin1');
  }
}

/** String.fromCharCode, typed for indexed reads of a byte array (each in bounds where it is called). */
const chars = String.fromCharCode as (...codes: (number | undefined)[]) => string;

const bytesSerde: Serde<Buffer> = {
  topicIndependent: true,
  serialize: (_topic, value) => value,
  deserialize: (_topic, bytes) => bytes,
};

/** JSON text in UTF-8, as the producers write it. */
function jsonSerde<T = unknown>(): Serde<T> {
  return {
    serialize: (_topic, value) => (value === null ? null : Buffer.from(JSON.stringify(value), 'utf8')),
    deserialize: (topic, bytes) => {
      if (bytes === null) return null;
      try {
        return JSON.parse(bytes.toString()) as T; // toString() without arguments: UTF-8, without the encoding lookup
      } catch (error) {
        throw new SerializationError(`malformed JSON on topic ${topic}: ${(error as Error).message}`);
      }
    },
  };
}

function expectLength(topic: string, bytes: Buffer, length: number, what: string): void {
  if (bytes.length !== length) {
    throw new SerializationError(`${what} on topic ${topic} must be ${length} bytes, got ${bytes.length}`);
  }
}

/** Kafka's IntegerSerializer: 4 bytes, big-endian, two's complement. */
const int32Serde: Serde<number> = {
  topicIndependent: true,
  serialize: (_topic, value) => {
    if (value === null) return null;
    const out = Buffer.allocUnsafe(4);
    out.writeInt32BE(value | 0, 0);
    return out;
  },
  deserialize: (topic, bytes) => {
    if (bytes === null) return null;
    expectLength(topic, bytes, 4, 'an int32');
    return bytes.readInt32BE(0);
  },
};

/**
 * Kafka's LongSerializer: 8 bytes, big-endian. Values are JavaScript numbers,
 * exact up to 2^53, which covers counts, sums and epoch milliseconds.
 */
const int64Serde: Serde<number> = {
  topicIndependent: true,
  serialize: (_topic, value) => {
    if (value === null) return null;
    const out = Buffer.allocUnsafe(8);
    writeInt64(out, 0, value);
    return out;
  },
  deserialize: (topic, bytes) => {
    if (bytes === null) return null;
    expectLength(topic, bytes, 8, 'an int64');
    return readInt64(bytes, 0);
  },
};

/** Kafka's DoubleSerializer: IEEE 754, 8 bytes, big-endian. */
const doubleSerde: Serde<number> = {
  topicIndependent: true,
  serialize: (_topic, value) => {
    if (value === null) return null;
    const out = Buffer.allocUnsafe(8);
    out.writeDoubleBE(value, 0);
    return out;
  },
  deserialize: (topic, bytes) => {
    if (bytes === null) return null;
    expectLength(topic, bytes, 8, 'a double');
    return bytes.readDoubleBE(0);
  },
};

/**
 * Writes a safe integer as a big-endian int64 without going through BigInt.
 * Byte by byte: Buffer's writeInt32BE/readInt32BE check their arguments on
 * every call, and these run several times per record in every store.
 */
export function writeInt64(out: Buffer, offset: number, value: number): void {
  if (offset < 0 || offset + 8 > out.length) throw new RangeError(`int64 at ${offset} is outside ${out.length} bytes`);
  const high = Math.floor(value / 0x1_0000_0000);
  if (high > 0x7fff_ffff || high < -0x8000_0000) throw new RangeError(`${value} does not fit in an int64`);
  const low = value - high * 0x1_0000_0000;
  out[offset] = high >>> 24;
  out[offset + 1] = high >>> 16;
  out[offset + 2] = high >>> 8;
  out[offset + 3] = high;
  out[offset + 4] = low >>> 24;
  out[offset + 5] = low >>> 16;
  out[offset + 6] = low >>> 8;
  out[offset + 7] = low;
}

export function readInt64(bytes: Buffer, offset: number): number {
  if (offset < 0 || offset + 8 > bytes.length) {
    throw new RangeError(`int64 at ${offset} is outside ${bytes.length} bytes`);
  }
  const high =
    ((bytes[offset] as number) << 24) |
    ((bytes[offset + 1] as number) << 16) |
    ((bytes[offset + 2] as number) << 8) |
    (bytes[offset + 3] as number);
  const low =
    (((bytes[offset + 4] as number) << 24) |
      ((bytes[offset + 5] as number) << 16) |
      ((bytes[offset + 6] as number) << 8) |
      (bytes[offset + 7] as number)) >>>
    0;
  return high * 0x1_0000_0000 + low;
}

/** The built-in serdes, named after Kafka's `Serdes` factory methods. */
export const Serdes = {
  String: (): Serde<string> => stringSerde,
  Bytes: (): Serde<Buffer> => bytesSerde,
  Json: jsonSerde,
  Integer: (): Serde<number> => int32Serde,
  Long: (): Serde<number> => int64Serde,
  Double: (): Serde<number> => doubleSerde,
} as const;

/**
 * A schema-registry format (AVRO, JSON_SR, PROTOBUF) plugs in here: the
 * engine and connect issues implement `serdeFor` with a registry client and
 * the Confluent wire format (magic byte, 4-byte schema id, payload).
 */
export interface SchemaRegistrySerdeFactory {
  readonly format: string;
  serdeFor<T>(subject: string, isKey: boolean): Serde<T>;
}
