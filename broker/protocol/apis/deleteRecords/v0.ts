/**
 * DeleteRecords Request (Version: 0) => [topics] timeout_ms
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index offset
 *       partition_index => INT32
 *       offset => INT64
 *   timeout_ms => INT32
 *
 * DeleteRecords Response (Version: 0) => throttle_time_ms [topics]
 *   throttle_time_ms => INT32
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index low_watermark error_code
 *       partition_index => INT32
 *       low_watermark => INT64
 *       error_code => INT16
 *
 * Version 1 has the same layout.
 */
import type { VersionCodec } from '../../api.ts';
import type { Decoder } from '../../wire/decoder.ts';
import type { Encoder } from '../../wire/encoder.ts';
import type { DeleteRecordsRequest, DeleteRecordsResponse } from './types.ts';

type RequestTopic = DeleteRecordsRequest['topics'][number];
type ResponseTopic = DeleteRecordsResponse['topics'][number];

const decodeRequestTopic = (d: Decoder): RequestTopic => ({
  name: d.string(),
  partitions: d.array((p) => ({ partitionIndex: p.int32(), offset: p.int64() })),
});
const encodeRequestTopic = (e: Encoder, t: RequestTopic): void => {
  e.string(t.name).array(t.partitions, (p, partition) => {
    p.int32(partition.partitionIndex).int64(partition.offset);
  });
};
const decodeResponseTopic = (d: Decoder): ResponseTopic => ({
  name: d.string(),
  partitions: d.array((p) => ({ partitionIndex: p.int32(), lowWatermark: p.int64(), errorCode: p.int16() })),
});
const encodeResponseTopic = (e: Encoder, t: ResponseTopic): void => {
  e.string(t.name).array(t.partitions, (p, partition) => {
    p.int32(partition.partitionIndex).int64(partition.lowWatermark).int16(partition.errorCode);
  });
};

export const v0: VersionCodec<DeleteRecordsRequest, DeleteRecordsResponse> = {
  decodeRequest: (d) => ({ topics: d.array(decodeRequestTopic, 'topics'), timeoutMs: d.int32('timeout_ms') }),
  encodeRequest: (e, r) => {
    e.array(r.topics, encodeRequestTopic).int32(r.timeoutMs);
  },
  decodeResponse: (d) => ({ throttleTimeMs: d.int32(), topics: d.array(decodeResponseTopic) }),
  encodeResponse: (e, r) => {
    e.int32(r.throttleTimeMs).array(r.topics, encodeResponseTopic);
  },
};
