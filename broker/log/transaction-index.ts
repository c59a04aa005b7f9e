/**
 * `.txnindex`: the aborted transactions whose abort marker is in this
 * segment, for read_committed fetches (Kafka's layout).
 *
 * AbortedTxnEntry =>
 *   version           int16   0
 *   producerId        int64
 *   firstOffset       int64   first offset of the transaction
 *   lastOffset        int64   offset of the abort marker
 *   lastStableOffset  int64   the log's last stable offset once it was aborted
 */
import { readInt64, writeInt64 } from '../records/index.ts';
import { IndexFile } from './index-file.ts';

export const TXN_INDEX_ENTRY_SIZE = 34;

export interface AbortedTransaction {
  producerId: number;
  firstOffset: number;
  lastOffset: number;
  lastStableOffset: number;
}

export class TransactionIndex {
  readonly file: IndexFile;

  constructor(path: string, create: boolean) {
    this.file = new IndexFile(path, TXN_INDEX_ENTRY_SIZE, Number.MAX_SAFE_INTEGER, create);
  }

  append(txn: AbortedTransaction): void {
    const entry = Buffer.allocUnsafe(TXN_INDEX_ENTRY_SIZE);
    entry.writeInt16BE(0, 0);
    writeInt64(entry, 2, txn.producerId);
    writeInt64(entry, 10, txn.firstOffset);
    writeInt64(entry, 18, txn.lastOffset);
    writeInt64(entry, 26, txn.lastStableOffset);
    this.file.append(entry);
    // Aborts are rare and a fetch may look for them at once: no buffering.
    this.file.writePending();
  }

  /** Every entry; aborts are rare, so a segment's list is small. */
  all(): AbortedTransaction[] {
    const bytes = this.file.readEntries(0, this.file.entryCount);
    const entries: AbortedTransaction[] = [];
    for (let at = 0; at + TXN_INDEX_ENTRY_SIZE <= bytes.length; at += TXN_INDEX_ENTRY_SIZE) {
      entries.push({
        producerId: readInt64(bytes, at + 2),
        firstOffset: readInt64(bytes, at + 10),
        lastOffset: readInt64(bytes, at + 18),
        lastStableOffset: readInt64(bytes, at + 26),
      });
    }
    return entries;
  }
}
