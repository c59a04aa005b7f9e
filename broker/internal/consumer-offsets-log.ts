/**
 * The group coordinator's store on `__consumer_offsets`, in Kafka's own
 * key and value encoding (broker/group/consumer-offsets-codec.ts). A
 * transactional offset commit is a transactional batch carrying the
 * producer id; the end of that transaction is a control batch (marker), so
 * the log holds exactly what Kafka's would.
 */
import {
  type CoordinatorRecord,
  decodeRecord,
  encodeRecordKey,
  encodeRecordValue,
  type GroupMetadataStore,
} from '../group/index.ts';
import { buildControlBatch, ControlRecordType, readTransactionMarker } from '../records/index.ts';
import type { Partition } from '../topics/partition.ts';
import { appendInternal, readInternal } from './internal-topic.ts';

export class ConsumerOffsetsLog implements GroupMetadataStore {
  constructor(private readonly partition: Partition) {}

  async append(records: readonly CoordinatorRecord[]): Promise<void> {
    const markers = records.filter((r) => r.type === 'transaction-marker');
    const keyed = records.filter((r) => r.type !== 'transaction-marker');
    if (keyed.length > 0) {
      const transactional = keyed.find((r) => r.type === 'offset-commit' && r.producerId !== undefined);
      await appendInternal(
        this.partition,
        keyed.map((record) => ({ key: encodeRecordKey(record), value: encodeRecordValue(record) })),
        transactional?.type === 'offset-commit' && transactional.producerId !== undefined
          ? {
              producerId: Number(transactional.producerId),
              producerEpoch: transactional.producerEpoch ?? 0,
              transactional: true,
            }
          : {},
      );
    }
    for (const marker of markers) {
      await this.partition.appendInternal(
        buildControlBatch({
          type: marker.committed ? ControlRecordType.Commit : ControlRecordType.Abort,
          producerId: Number(marker.producerId),
          producerEpoch: marker.producerEpoch ?? 0,
          coordinatorEpoch: 0,
        }),
      );
    }
  }

  async *load(): AsyncIterable<CoordinatorRecord> {
    for await (const { batch, records } of readInternal(this.partition)) {
      if (batch.isControl) {
        const marker = readTransactionMarker(batch);
        yield {
          type: 'transaction-marker',
          producerId: BigInt(batch.producerId),
          producerEpoch: batch.producerEpoch,
          committed: marker.type === ControlRecordType.Commit,
        };
        continue;
      }
      for (const { key, value } of records) {
        if (!key) continue;
        const record = decodeRecord(key, value);
        if (batch.isTransactional && record.type === 'offset-commit') {
          yield { ...record, producerId: BigInt(batch.producerId), producerEpoch: batch.producerEpoch };
        } else {
          yield record;
        }
      }
    }
  }
}
