import type { Decoder } from '../../wire/decoder.ts';
import type { Encoder } from '../../wire/encoder.ts';
import type { FetchPartition, FetchPartitionResponse } from './types.ts';
import {
  decodeAbortedTransaction,
  encodeAbortedTransaction,
  fetchV4Layout,
  responsesCodec,
  topicsCodec,
} from './v4.ts';

const decodePartition = (d: Decoder): FetchPartition => ({
  partition: d.int32(),
  currentLeaderEpoch: -1,
  fetchOffset: d.int64(),
  logStartOffset: d.int64(),
  partitionMaxBytes: d.int32(),
});

const encodePartition = (e: Encoder, p: FetchPartition): void => {
  e.int32(p.partition).int64(p.fetchOffset).int64(p.logStartOffset).int32(p.partitionMaxBytes);
};

/** Partition response of versions 5-10; v11 adds preferred_read_replica before records. */
export const decodePartitionResponseV5 = (d: Decoder): FetchPartitionResponse => ({
  partitionIndex: d.int32(),
  errorCode: d.int16(),
  highWatermark: d.int64(),
  lastStableOffset: d.int64(),
  logStartOffset: d.int64(),
  abortedTransactions: d.nullableArray(decodeAbortedTransaction),
  preferredReadReplica: -1,
  records: d.nullableBytes('records'),
});

/** Everything of the v5 partition response that comes before `records`. */
export const encodePartitionResponseHeadV5 = (e: Encoder, p: FetchPartitionResponse): void => {
  e.int32(p.partitionIndex).int16(p.errorCode).int64(p.highWatermark).int64(p.lastStableOffset).int64(p.logStartOffset);
  e.nullableArray(p.abortedTransactions, encodeAbortedTransaction);
};

const encodePartitionResponse = (e: Encoder, p: FetchPartitionResponse): void => {
  encodePartitionResponseHeadV5(e, p);
  e.nullableBytes(p.records);
};

export const topicsV5 = topicsCodec(decodePartition, encodePartition);
export const responsesV5 = responsesCodec(decodePartitionResponseV5, encodePartitionResponse);

export const v5 = fetchV4Layout(topicsV5, responsesV5);
