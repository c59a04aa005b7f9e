/**
 * Kafka's default partitioner, computed here so that the producers know
 * where each record goes before sending it: a stopped run can then resume
 * exactly, since each partition holds a prefix of that partition's records.
 * Keyed records: murmur2 of the key bytes, as the Java client, kafkajs's
 * DefaultPartitioner and librdkafka's murmur2_random. Unkeyed records (a
 * malformed vote that lost its voter_id) go round-robin, which is
 * deterministic where the clients' choice is random.
 */
import { keyPartition } from '../../topology/runtime/kafkajs-messages.ts';

/** Assigns partitions to a stream of keys, as the clients' default partitioner would for keyed records. */
export class Partitioner {
  private unkeyed = 0;

  constructor(readonly partitions: number) {}

  partitionOf(key: string | null): number {
    if (key === null) return this.unkeyed++ % this.partitions;
    return keyPartition(key, this.partitions);
  }
}
