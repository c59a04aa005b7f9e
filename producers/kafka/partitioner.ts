/**
 * Kafka's default partitioner, computed here so that the producers know
 * where each record goes before sending it: a stopped run can then resume
 * exactly, since each partition holds a prefix of that partition's records.
 * Keyed records: murmur2 of the key bytes, as the Java client, kafkajs's
 * DefaultPartitioner and librdkafka's murmur2_random. Unkeyed records (a
 * malformed vote that lost its voter_id) go round-robin, which is
 * deterministic where the clients' choice is random.
 */

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

/** Assigns partitions to a stream of keys, as the clients' default partitioner would for keyed records. */
export class Partitioner {
  private unkeyed = 0;

  constructor(readonly partitions: number) {}

  partitionOf(key: string | null): number {
    if (key === null) return this.unkeyed++ % this.partitions;
    return keyPartition(key, this.partitions);
  }
}
