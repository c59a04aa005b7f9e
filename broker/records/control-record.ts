/**
 * Control records: the single record of a control batch (attributes bit 5),
 * written by the transaction coordinator to commit or abort a transaction.
 *
 * ControlRecordKey =>
 *   version  int16   0
 *   type     int16   0 = abort, 1 = commit
 * EndTransactionMarker (value) =>
 *   version           int16   0
 *   coordinatorEpoch  int32
 */

import { CompressionCodec } from './compression.ts';
import { CorruptRecordError } from './errors.ts';
import { decodeRecords } from './record.ts';
import type { RecordBatch } from './record-batch.ts';
import { encodeUncompressedRecordBatch } from './record-batch-builder.ts';

export const ControlRecordType = { Abort: 0, Commit: 1 } as const;
export type ControlRecordType = (typeof ControlRecordType)[keyof typeof ControlRecordType];

export interface TransactionMarker {
  type: ControlRecordType;
  coordinatorEpoch: number;
}

export interface BuildControlBatchOptions {
  type: ControlRecordType;
  producerId: number;
  producerEpoch: number;
  coordinatorEpoch: number;
  /** Defaults to Date.now(). */
  timestamp?: number;
  baseOffset?: number;
  partitionLeaderEpoch?: number;
}

/** Builds the one-record control batch that ends a transaction. */
export function buildControlBatch(options: BuildControlBatchOptions): Buffer {
  const key = Buffer.alloc(4);
  key.writeInt16BE(0, 0);
  key.writeInt16BE(options.type, 2);
  const value = Buffer.alloc(6);
  value.writeInt16BE(0, 0);
  value.writeInt32BE(options.coordinatorEpoch, 2);
  const timestamp = options.timestamp ?? Date.now();
  return encodeUncompressedRecordBatch(
    {
      baseOffset: options.baseOffset ?? 0,
      partitionLeaderEpoch: options.partitionLeaderEpoch ?? -1,
      compression: CompressionCodec.None,
      timestampType: 'create-time',
      transactional: true,
      control: true,
      lastOffsetDelta: 0,
      baseTimestamp: timestamp,
      maxTimestamp: timestamp,
      producerId: options.producerId,
      producerEpoch: options.producerEpoch,
      // Kafka writes markers without a sequence: they are not deduplicated.
      baseSequence: -1,
    },
    [{ attributes: 0, timestampDelta: 0, offsetDelta: 0, key, value, headers: [] }],
  );
}

/**
 * Reads the marker of a control batch. Control batches are never
 * compressed, so this is synchronous and cheap enough for the append path.
 */
export function readTransactionMarker(batch: RecordBatch): TransactionMarker {
  if (!batch.isControl) {
    throw new CorruptRecordError('invalid-record', `Batch at offset ${batch.baseOffset} is not a control batch`);
  }
  if (batch.compressionCodec !== CompressionCodec.None) {
    throw new CorruptRecordError('invalid-record', `Control batch at offset ${batch.baseOffset} is compressed`);
  }
  const [record] = decodeRecords(batch.recordsBytes, batch.recordCount);
  const key = record?.key;
  if (!key || key.length < 4) {
    throw new CorruptRecordError('invalid-record', `Control batch at offset ${batch.baseOffset} has no control key`);
  }
  const type = key.readInt16BE(2);
  if (type !== ControlRecordType.Abort && type !== ControlRecordType.Commit) {
    throw new CorruptRecordError(
      'invalid-record',
      `Control batch at offset ${batch.baseOffset} has unknown control type ${type}`,
    );
  }
  const value = record?.value;
  const coordinatorEpoch = value && value.length >= 6 ? value.readInt32BE(2) : -1;
  return { type, coordinatorEpoch };
}
