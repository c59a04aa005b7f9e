/**
 * OffsetCommit Request (Version: 2) => group_id generation_id member_id retention_time_ms [topics]
 *   group_id => STRING
 *   generation_id => INT32
 *   member_id => STRING
 *   retention_time_ms => INT64
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index committed_offset committed_metadata
 *       partition_index => INT32
 *       committed_offset => INT64
 *       committed_metadata => NULLABLE_STRING
 * OffsetCommit Response (Version: 2) => [topics]
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index error_code
 *       partition_index => INT32
 *       error_code => INT16
 *
 * OffsetCommit Request (Version: 3) => same as version 2.
 * OffsetCommit Response (Version: 3) => throttle_time_ms [topics]
 *   throttle_time_ms => INT32
 *
 * Version 4 is the same as version 3.
 *
 * OffsetCommit Request (Version: 5) => group_id generation_id member_id [topics]
 *   (retention_time_ms removed)
 *
 * OffsetCommit Request (Version: 6) => (as version 5, except:)
 *     partitions => partition_index committed_offset committed_leader_epoch committed_metadata
 *       committed_leader_epoch => INT32
 *
 * OffsetCommit Request (Version: 7) => group_id generation_id member_id group_instance_id [topics]
 *   group_instance_id => NULLABLE_STRING
 *
 * Responses of versions 4 to 7 are the same as version 3.
 *
 * The differences are small and nested, so one codec takes the version.
 */
import type { VersionCodec } from '../../api.ts';
import type { Decoder } from '../../wire/decoder.ts';
import type { Encoder } from '../../wire/encoder.ts';
import type {
  OffsetCommitPartition,
  OffsetCommitRequest,
  OffsetCommitResponse,
  OffsetCommitTopic,
  OffsetCommitTopicResponse,
} from './types.ts';

const decodeTopicResponse = (d: Decoder): OffsetCommitTopicResponse => ({
  name: d.string(),
  partitions: d.array((p) => ({ partitionIndex: p.int32(), errorCode: p.int16() })),
});
const encodeTopicResponse = (e: Encoder, t: OffsetCommitTopicResponse): void => {
  e.string(t.name).array(t.partitions, (p, partition) => {
    p.int32(partition.partitionIndex).int16(partition.errorCode);
  });
};

function offsetCommitCodec(v: number): VersionCodec<OffsetCommitRequest, OffsetCommitResponse> {
  const decodePartition = (d: Decoder): OffsetCommitPartition => ({
    partitionIndex: d.int32(),
    committedOffset: d.int64(),
    committedLeaderEpoch: v >= 6 ? d.int32() : -1,
    committedMetadata: d.nullableString(),
  });
  const encodePartition = (e: Encoder, p: OffsetCommitPartition): void => {
    e.int32(p.partitionIndex).int64(p.committedOffset);
    if (v >= 6) e.int32(p.committedLeaderEpoch);
    e.nullableString(p.committedMetadata);
  };
  const decodeTopic = (d: Decoder): OffsetCommitTopic => ({ name: d.string(), partitions: d.array(decodePartition) });
  const encodeTopic = (e: Encoder, t: OffsetCommitTopic): void => {
    e.string(t.name).array(t.partitions, encodePartition);
  };
  const hasRetention = v >= 2 && v <= 4;

  return {
    decodeRequest: (d) => ({
      groupId: d.string('group_id'),
      generationId: d.int32('generation_id'),
      memberId: d.string('member_id'),
      groupInstanceId: v >= 7 ? d.nullableString('group_instance_id') : null,
      retentionTimeMs: hasRetention ? d.int64('retention_time_ms') : -1n,
      topics: d.array(decodeTopic, 'topics'),
    }),
    encodeRequest: (e, r) => {
      e.string(r.groupId).int32(r.generationId).string(r.memberId);
      if (v >= 7) e.nullableString(r.groupInstanceId);
      if (hasRetention) e.int64(r.retentionTimeMs);
      e.array(r.topics, encodeTopic);
    },
    decodeResponse: (d) => ({ throttleTimeMs: v >= 3 ? d.int32() : 0, topics: d.array(decodeTopicResponse) }),
    encodeResponse: (e, r) => {
      if (v >= 3) e.int32(r.throttleTimeMs);
      e.array(r.topics, encodeTopicResponse);
    },
  };
}

export const v2 = offsetCommitCodec(2);
export const v3 = offsetCommitCodec(3);
export const v4 = offsetCommitCodec(4);
export const v5 = offsetCommitCodec(5);
export const v6 = offsetCommitCodec(6);
export const v7 = offsetCommitCodec(7);
