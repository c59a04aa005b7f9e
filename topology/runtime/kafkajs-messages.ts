/**
 * How records are handed to kafkajs's producer, by the runtime's record
 * collector and by anyone else producing in volume (the election's
 * producers):
 * - Kafka's default partitioner (murmur2 of the key bytes, as the Java
 *   client, Kafka Streams, kafkajs's DefaultPartitioner and librdkafka's
 *   murmur2_random), computable before sending: the producers resume a
 *   stopped run exactly because they know where each record went;
 * - messages in the shape kafkajs encodes fastest;
 * - sends small enough for the broker and for kafkajs's grouping.
 */
import type { ICustomPartitioner, Message } from 'kafkajs';

/** Kafka's Utils.murmur2 (seed 0x9747b28c) of the first `length` bytes of `data`, as a signed 32-bit integer. */
export function murmur2(data: Uint8Array, length = data.length): number {
  const m = 0x5bd1e995;
  let h = 0x9747b28c ^ length;
  const whole = length & ~3;
  for (let i = 0; i < whole; i += 4) {
    let k = (data[i] ?? 0) | ((data[i + 1] ?? 0) << 8) | ((data[i + 2] ?? 0) << 16) | ((data[i + 3] ?? 0) << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m) ^ k;
  }
  const tail = length & 3;
  if (tail > 0) {
    if (tail === 3) h ^= (data[whole + 2] ?? 0) << 16;
    if (tail >= 2) h ^= (data[whole + 1] ?? 0) << 8;
    h ^= data[whole] ?? 0;
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

/** The partition of a keyed record: murmur2 of the key's UTF-8 bytes, made positive, modulo the count. */
/**
 * The partition of a windowed key's record: that of the key inside it, its
 * bytes before the `windowBytes` of window (Kafka Streams'
 * WindowedStreamPartitioner), so every window of a key shares a partition.
 */
export function windowedKeyPartition(key: Uint8Array, windowBytes: number, partitions: number): number {
  if (partitions === 1) return 0; // no hash needed (the test driver's topics have one partition)
  return keyPartition(key.subarray(0, Math.max(0, key.length - windowBytes)), partitions);
}

export function keyPartition(key: string | Uint8Array, partitions: number): number {
  return (keyHash(key) & 0x7fffffff) % partitions;
}

/** Keys are encoded into this buffer rather than a new one each: hashing is per record, on the hot path. */
const scratch = Buffer.allocUnsafe(1024);

function keyHash(key: string | Uint8Array): number {
  if (typeof key !== 'string') return murmur2(key);
  const ascii = murmur2Ascii(key);
  if (ascii !== null) return ascii;
  // At most 3 UTF-8 bytes per UTF-16 unit, so a key this short always fits whole.
  if (key.length * 3 > scratch.length) return murmur2(Buffer.from(key));
  return murmur2(scratch, scratch.write(key));
}

/** murmur2 of an ASCII string's bytes (its char codes), without encoding it; null if it is not ASCII. */
function murmur2Ascii(key: string): number | null {
  const m = 0x5bd1e995;
  const length = key.length;
  let h = 0x9747b28c ^ length;
  const whole = length & ~3;
  for (let i = 0; i < whole; i += 4) {
    const a = key.charCodeAt(i);
    const b = key.charCodeAt(i + 1);
    const c = key.charCodeAt(i + 2);
    const d = key.charCodeAt(i + 3);
    if ((a | b | c | d) > 0x7f) return null;
    let k = a | (b << 8) | (c << 16) | (d << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m) ^ k;
  }
  const tail = length & 3;
  if (tail > 0) {
    for (let i = whole; i < length; i++) if (key.charCodeAt(i) > 0x7f) return null;
    if (tail === 3) h ^= key.charCodeAt(whole + 2) << 16;
    if (tail >= 2) h ^= key.charCodeAt(whole + 1) << 8;
    h ^= key.charCodeAt(whole);
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

/**
 * kafkajs's DefaultPartitioner (murmur2 on the key bytes, as the Java client,
 * Kafka Streams and our librdkafka sink), with the same results, but hashing
 * with 32-bit integer arithmetic: kafkajs's own murmur2 works in 64-bit Long
 * objects and took a fifth of a backfill's time. A record's own partition
 * comes first; unkeyed records go round-robin over partitions with a leader.
 */
export const murmur2Partitioner: ICustomPartitioner = () => {
  let unkeyed = 0;
  return ({ partitionMetadata, message }) => {
    if (message.partition !== undefined && message.partition !== null) return message.partition;
    if (message.key !== undefined && message.key !== null) return keyPartition(message.key, partitionMetadata.length);
    const available = partitionMetadata.filter((p) => p.leader >= 0);
    const candidates = available.length > 0 ? available : partitionMetadata;
    return candidates[unkeyed++ % candidates.length]?.partitionId ?? 0;
  };
};

/** A kafkajs Message already holding the fields kafkajs adds to it while encoding (see kafkajsMessage). */
interface EncodableMessage extends Message {
  offsetDelta: number;
  timestampDelta: number;
}

/**
 * A record as a kafkajs Message, in one shape for all. kafkajs encodes each
 * message as `Record({ ...message, offsetDelta, timestampDelta })`; on
 * Node 20's V8 that spread is slow (about 1.5 µs, a fifth of kafkajs's
 * encoding) when it adds properties, and cheap when it only overwrites
 * ones the message has. So the message carries both, as zeros that kafkajs
 * replaces: the bytes sent are the same (bench/produce.ts; measured with a
 * profile of the produce path).
 */
export function kafkajsMessage(
  key: string | Buffer | null,
  value: string | Buffer | null,
  timestamp: number,
  partition: number | undefined,
): Message {
  const message: EncodableMessage = {
    key,
    value,
    timestamp: String(timestamp),
    partition,
    offsetDelta: 0,
    timestampDelta: 0,
  };
  return message;
}

/** Under Kafka's default message.max.bytes (1,048,588) even if a whole send lands on one partition. */
export const MAX_SEND_BYTES = 900_000;
/**
 * kafkajs groups a send's messages by partition in time quadratic in their
 * number (it copies a partition's array for each message it adds): beyond
 * about this many a send costs more than another request (bench/produce.ts).
 */
export const MAX_SEND_RECORDS = 1_000;
/** A record's framing in a batch (lengths, deltas, attributes), at most. */
const RECORD_OVERHEAD_BYTES = 24;

/** What a message adds to a record batch, at most: its key, value, headers and framing. */
export function messageSize(message: Message): number {
  let size = RECORD_OVERHEAD_BYTES + bytesOf(message.key) + bytesOf(message.value);
  for (const key in message.headers)
    size += key.length + RECORD_OVERHEAD_BYTES + bytesOf(message.headers[key] as Buffer);
  return size;
}

function bytesOf(data: Buffer | string | null | undefined | (Buffer | string)[]): number {
  if (data === null || data === undefined) return 0;
  if (Array.isArray(data)) return data.reduce((n, d) => n + bytesOf(d), 0);
  // UTF-8 bytes, not UTF-16 units: voters' names are not all ASCII.
  return typeof data === 'string' ? Buffer.byteLength(data) : data.length;
}
