/**
 * OffsetFetch Request (Version: 1) => group_id [topics]
 *   group_id => STRING
 *   topics => name [partition_indexes]
 *     name => STRING
 *     partition_indexes => INT32
 * OffsetFetch Response (Version: 1) => [topics]
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index committed_offset metadata error_code
 *       partition_index => INT32
 *       committed_offset => INT64
 *       metadata => NULLABLE_STRING
 *       error_code => INT16
 *
 * OffsetFetch Request (Version: 2) => same layout; topics may be null (-1) for all topics.
 * OffsetFetch Response (Version: 2) => [topics] error_code
 *   error_code => INT16
 *
 * OffsetFetch Response (Version: 3) => throttle_time_ms [topics] error_code
 *   throttle_time_ms => INT32
 *
 * Version 4 is the same as version 3.
 *
 * OffsetFetch Response (Version: 5) => (as version 3, except:)
 *     partitions => partition_index committed_offset committed_leader_epoch metadata error_code
 *       committed_leader_epoch => INT32
 *
 * The differences are small and nested, so one codec takes the version.
 */
import type { VersionCodec } from '../../api.ts';
import type { Decoder } from '../../wire/decoder.ts';
import type { Encoder } from '../../wire/encoder.ts';
import type {
  OffsetFetchRequest,
  OffsetFetchRequestTopic,
  OffsetFetchResponse,
  OffsetFetchResponsePartition,
  OffsetFetchResponseTopic,
} from './types.ts';

const decodeRequestTopic = (d: Decoder): OffsetFetchRequestTopic => ({
  name: d.string(),
  partitionIndexes: d.int32Array(),
});
const encodeRequestTopic = (e: Encoder, t: OffsetFetchRequestTopic): void => {
  e.string(t.name).int32Array(t.partitionIndexes);
};

function offsetFetchCodec(v: number): VersionCodec<OffsetFetchRequest, OffsetFetchResponse> {
  const decodePartition = (d: Decoder): OffsetFetchResponsePartition => ({
    partitionIndex: d.int32(),
    committedOffset: d.int64(),
    committedLeaderEpoch: v >= 5 ? d.int32() : -1,
    metadata: d.nullableString(),
    errorCode: d.int16(),
  });
  const encodePartition = (e: Encoder, p: OffsetFetchResponsePartition): void => {
    e.int32(p.partitionIndex).int64(p.committedOffset);
    if (v >= 5) e.int32(p.committedLeaderEpoch);
    e.nullableString(p.metadata).int16(p.errorCode);
  };
  const decodeTopic = (d: Decoder): OffsetFetchResponseTopic => ({
    name: d.string(),
    partitions: d.array(decodePartition),
  });
  const encodeTopic = (e: Encoder, t: OffsetFetchResponseTopic): void => {
    e.string(t.name).array(t.partitions, encodePartition);
  };

  return {
    decodeRequest: (d) => ({
      groupId: d.string('group_id'),
      // A null array is only legal from v2 on.
      topics: v >= 2 ? d.nullableArray(decodeRequestTopic, 'topics') : d.array(decodeRequestTopic, 'topics'),
    }),
    encodeRequest: (e, r) => {
      if (v < 2 && r.topics === null) throw new RangeError('OffsetFetch v1 cannot ask for all topics (null)');
      e.string(r.groupId).nullableArray(r.topics, encodeRequestTopic);
    },
    decodeResponse: (d) => ({
      throttleTimeMs: v >= 3 ? d.int32() : 0,
      topics: d.array(decodeTopic),
      errorCode: v >= 2 ? d.int16() : 0,
    }),
    encodeResponse: (e, r) => {
      if (v >= 3) e.int32(r.throttleTimeMs);
      e.array(r.topics, encodeTopic);
      if (v >= 2) e.int16(r.errorCode);
    },
  };
}

export const v1 = offsetFetchCodec(1);
export const v2 = offsetFetchCodec(2);
export const v3 = offsetFetchCodec(3);
export const v4 = offsetFetchCodec(4);
export const v5 = offsetFetchCodec(5);
