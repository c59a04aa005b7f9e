/** Writes commit and abort markers (control batches) to the partitions of a transaction. */
import { buildControlBatch, ControlRecordType } from '../records/index.ts';
import type { TopicManager } from '../topics/topic-manager.ts';
import type { TopicPartitionRef, TransactionMarkerWriter } from '../txn/index.ts';

export class TransactionMarkers implements TransactionMarkerWriter {
  constructor(private readonly topics: TopicManager) {}

  async writeMarkers(
    partitions: TopicPartitionRef[],
    marker: { producerId: number; producerEpoch: number; commit: boolean },
  ): Promise<void> {
    await Promise.all(
      partitions.map(async ({ topic, partition: index }) => {
        // A partition deleted during the transaction has nothing left to mark.
        const partition = this.topics.partition(topic, index);
        if (!partition) return;
        await partition.appendInternal(
          buildControlBatch({
            type: marker.commit ? ControlRecordType.Commit : ControlRecordType.Abort,
            producerId: marker.producerId,
            producerEpoch: marker.producerEpoch,
            coordinatorEpoch: 0,
          }),
        );
      }),
    );
  }
}
