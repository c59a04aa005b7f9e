/**
 * The transaction coordinator's store on `__transaction_state`: the key is
 * the transactional id (or the producer-id block), the value the latest
 * state as JSON. Kafka's own encoding of this topic is read by nothing but
 * its coordinator, so a readable one serves better here.
 */

import type { Partition } from '../topics/partition.ts';
import type { TransactionLogRecord, TransactionLogStore } from '../txn/index.ts';
import { appendInternal, readInternal } from './internal-topic.ts';

const PRODUCER_ID_BLOCK_KEY = '\u0000producer-id-block';

export class TransactionStateLog implements TransactionLogStore {
  constructor(private readonly partition: Partition) {}

  async append(records: TransactionLogRecord[]): Promise<void> {
    await appendInternal(
      this.partition,
      records.map((record) => ({
        key: Buffer.from(record.kind === 'transaction' ? record.metadata.transactionalId : PRODUCER_ID_BLOCK_KEY),
        value: Buffer.from(JSON.stringify(record)),
      })),
    );
  }

  async *load(): AsyncIterable<TransactionLogRecord> {
    for await (const { records } of readInternal(this.partition)) {
      for (const record of records) {
        if (record.value) yield JSON.parse(record.value.toString()) as TransactionLogRecord;
      }
    }
  }
}
