/**
 * Where each record of a topic goes, decided before sending (partitioner.ts),
 * and what a stopped run left to send. The producers are idempotent and keep
 * order per partition, so after any stop (Ctrl-C, `make down`, kill -9) each
 * partition holds a prefix of its own records: skipping that many per
 * partition resumes the run with nothing lost and nothing sent twice.
 */
import { Partitioner } from './kafka/partitioner.ts';
import type { TopicRecords } from './topic-records.ts';

/** The records with their partitions, less the first `written[p]` records of each partition p. */
export function placeRecords(source: TopicRecords, partitions: number, written: readonly number[] = []): TopicRecords {
  const alreadyWritten = written.reduce((sum, n) => sum + n, 0);
  return {
    topic: source.topic,
    total: Math.max(0, source.total - alreadyWritten),
    *records() {
      const partitioner = new Partitioner(partitions);
      const toSkip = Array.from({ length: partitions }, (_, p) => written[p] ?? 0);
      for (const record of source.records()) {
        const partition = partitioner.partitionOf(record.key);
        if ((toSkip[partition] ?? 0) > 0) {
          toSkip[partition] = (toSkip[partition] ?? 0) - 1;
          continue;
        }
        // records() yields fresh records (topic-records.ts), so the partition is set on this one, not on a copy.
        record.partition = partition;
        yield record;
      }
    },
  };
}
