/**
 * Kafka's default partitioner, computed here so that the producers know
 * where each record goes before sending it: a stopped run can then resume
 * exactly, since each partition holds a prefix of that partition's records.
 * Keyed records: murmur2 of the key bytes, as the Java client, kafkajs's
 * DefaultPartitioner and librdkafka's murmur2_random. Unkeyed records (a
 * malformed vote that lost its voter_id) go round-robin, which is
 * deterministic where the clients' choice is random.
 */

/** Kafka's Utils.murmur2 (seed 0x9747b28c), as a signed 32-bit integer. */
export function murmur2(data: Uint8Array): number {
  const m = 0x5bd1e995;
  const length = data.length;
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

/** Assigns partitions to a stream of keys, as the clients' default partitioner would for keyed records. */
export class Partitioner {
  private unkeyed = 0;

  constructor(readonly partitions: number) {}

  partitionOf(key: string | null): number {
    if (key === null) return this.unkeyed++ % this.partitions;
    return (murmur2(Buffer.from(key)) & 0x7fffffff) % this.partitions;
  }
}
