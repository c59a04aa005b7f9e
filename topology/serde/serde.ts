/**
 * Serdes turn keys and values into the bytes Kafka stores, and back.
 *
 * The contract mirrors Kafka's Serializer/Deserializer pair: `null` stays
 * `null` in both directions (a null value is a tombstone, never an encoding
 * error), and `deserialize` throws on bytes it cannot read; the runtime turns
 * that throw into a processing-log entry and skips the record.
 */
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
}

/** Thrown by a deserializer; the message is the reason written to the processing log. */
export class SerializationError extends Error {
  override name = 'SerializationError';
}

const stringSerde: Serde<string> = {
  topicIndependent: true,
  serialize: (_topic, value) => (value === null ? null : Buffer.from(value, 'utf8')),
  deserialize: (_topic, bytes) => (bytes === null ? null : bytes.toString('utf8')),
};

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
        return JSON.parse(bytes.toString('utf8')) as T;
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

/** Writes a safe integer as a big-endian int64 without going through BigInt. */
export function writeInt64(out: Buffer, offset: number, value: number): void {
  const high = Math.floor(value / 0x1_0000_0000);
  out.writeInt32BE(high, offset);
  out.writeUInt32BE(value - high * 0x1_0000_0000, offset + 4);
}

export function readInt64(bytes: Buffer, offset: number): number {
  return bytes.readInt32BE(offset) * 0x1_0000_0000 + bytes.readUInt32BE(offset + 4);
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
