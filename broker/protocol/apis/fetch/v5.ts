/**
 * Fetch Request (Version: 5) => replica_id max_wait_ms min_bytes max_bytes isolation_level [topics]
 *   (as version 4, except:)
 *     partitions => partition fetch_offset log_start_offset partition_max_bytes
 *       partition => INT32
 *       fetch_offset => INT64
 *       log_start_offset => INT64
 *       partition_max_bytes => INT32
 *
 * Fetch Response (Version: 5) => throttle_time_ms [responses]
 *   (as version 4, except:)
 *     partitions => partition_index error_code high_watermark last_stable_offset log_start_offset [aborted_transactions] records
 *       log_start_offset => INT64
 *
 * Version 6 has the same layout.
 */
import type { VersionCodec } from '../../api.ts';
import type { Decoder } from '../../wire/decoder.ts';
import type { Encoder } from '../../wire/encoder.ts';
import type { FetchPartition, FetchPartitionResponse, FetchRequest, FetchResponse } from './types.ts';
import { decodeAbortedTransaction, encodeAbortedTransaction, responsesCodec, topicsCodec } from './v4.ts';

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

export const v5: VersionCodec<FetchRequest, FetchResponse> = {
  decodeRequest: (d) => ({
    replicaId: d.int32(),
    maxWaitMs: d.int32(),
    minBytes: d.int32(),
    maxBytes: d.int32(),
    isolationLevel: d.int8(),
    sessionId: 0,
    sessionEpoch: -1,
    topics: topicsV5.decode(d),
    forgottenTopicsData: [],
    rackId: '',
  }),
  encodeRequest: (e, r) => {
    e.int32(r.replicaId).int32(r.maxWaitMs).int32(r.minBytes).int32(r.maxBytes).int8(r.isolationLevel);
    topicsV5.encode(e, r.topics);
  },
  decodeResponse: (d) => ({ throttleTimeMs: d.int32(), errorCode: 0, sessionId: 0, responses: responsesV5.decode(d) }),
  encodeResponse: (e, r) => {
    e.int32(r.throttleTimeMs);
    responsesV5.encode(e, r.responses);
  },
};
