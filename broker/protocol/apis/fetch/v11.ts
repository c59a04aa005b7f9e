/**
 * Fetch Request (Version: 11) => (version 9 fields) rack_id
 *   rack_id => STRING
 *
 * Fetch Response (Version: 11) => (as version 7, except:)
 *     partitions => partition_index error_code high_watermark last_stable_offset log_start_offset [aborted_transactions] preferred_read_replica records
 *       preferred_read_replica => INT32
 */
import type { VersionCodec } from '../../api.ts';
import type { Decoder } from '../../wire/decoder.ts';
import type { Encoder } from '../../wire/encoder.ts';
import type { FetchPartitionResponse, FetchRequest, FetchResponse } from './types.ts';
import { decodeAbortedTransaction, responsesCodec } from './v4.ts';
import { encodePartitionResponseHeadV5 } from './v5.ts';
import { responseCodecV7 } from './v7.ts';
import { requestV9 } from './v9.ts';

const decodePartitionResponse = (d: Decoder): FetchPartitionResponse => ({
  partitionIndex: d.int32(),
  errorCode: d.int16(),
  highWatermark: d.int64(),
  lastStableOffset: d.int64(),
  logStartOffset: d.int64(),
  abortedTransactions: d.nullableArray(decodeAbortedTransaction),
  preferredReadReplica: d.int32(),
  records: d.nullableBytes('records'),
});

const encodePartitionResponse = (e: Encoder, p: FetchPartitionResponse): void => {
  encodePartitionResponseHeadV5(e, p);
  e.int32(p.preferredReadReplica).nullableBytes(p.records);
};

export const v11: VersionCodec<FetchRequest, FetchResponse> = {
  decodeRequest: (d) => {
    const request = requestV9.decodeRequest(d);
    request.rackId = d.string('rack_id');
    return request;
  },
  encodeRequest: (e, r) => {
    requestV9.encodeRequest(e, r);
    e.string(r.rackId);
  },
  ...responseCodecV7(responsesCodec(decodePartitionResponse, encodePartitionResponse)),
};
