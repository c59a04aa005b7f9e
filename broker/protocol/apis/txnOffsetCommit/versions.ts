/**
 * TxnOffsetCommit Request (Version: 0) => transactional_id group_id producer_id producer_epoch [topics]
 *   transactional_id => STRING
 *   group_id => STRING
 *   producer_id => INT64
 *   producer_epoch => INT16
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index committed_offset committed_metadata
 *       partition_index => INT32
 *       committed_offset => INT64
 *       committed_metadata => NULLABLE_STRING
 * TxnOffsetCommit Response (Version: 0) => throttle_time_ms [topics]
 *   throttle_time_ms => INT32
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index error_code
 *       partition_index => INT32
 *       error_code => INT16
 *
 * Version 1 is the same as version 0.
 *
 * TxnOffsetCommit Request (Version: 2) => (as version 0, except:)
 *     partitions => partition_index committed_offset committed_leader_epoch committed_metadata
 *       committed_leader_epoch => INT32
 * TxnOffsetCommit Response (Version: 2) => same as version 0.
 */
import type { VersionCodec } from '../../api.ts';
import type { Decoder } from '../../wire/decoder.ts';
import type { Encoder } from '../../wire/encoder.ts';
import type { TxnOffsetCommitPartition, TxnOffsetCommitRequest, TxnOffsetCommitResponse } from './types.ts';

function txnOffsetCommitCodec(v: number): VersionCodec<TxnOffsetCommitRequest, TxnOffsetCommitResponse> {
  const decodePartition = (d: Decoder): TxnOffsetCommitPartition => ({
    partitionIndex: d.int32(),
    committedOffset: d.int64(),
    committedLeaderEpoch: v >= 2 ? d.int32() : -1,
    committedMetadata: d.nullableString(),
  });
  const encodePartition = (e: Encoder, p: TxnOffsetCommitPartition): void => {
    e.int32(p.partitionIndex).int64(p.committedOffset);
    if (v >= 2) e.int32(p.committedLeaderEpoch);
    e.nullableString(p.committedMetadata);
  };
  return {
    decodeRequest: (d) => ({
      transactionalId: d.string('transactional_id'),
      groupId: d.string('group_id'),
      producerId: d.int64('producer_id'),
      producerEpoch: d.int16('producer_epoch'),
      topics: d.array((t) => ({ name: t.string(), partitions: t.array(decodePartition) }), 'topics'),
    }),
    encodeRequest: (e, r) => {
      e.string(r.transactionalId).string(r.groupId).int64(r.producerId).int16(r.producerEpoch);
      e.array(r.topics, (t, topic) => {
        t.string(topic.name).array(topic.partitions, encodePartition);
      });
    },
    decodeResponse: (d) => ({
      throttleTimeMs: d.int32(),
      topics: d.array((t) => ({
        name: t.string(),
        partitions: t.array((p) => ({ partitionIndex: p.int32(), errorCode: p.int16() })),
      })),
    }),
    encodeResponse: (e, r) => {
      e.int32(r.throttleTimeMs).array(r.topics, (t, topic) => {
        t.string(topic.name).array(topic.partitions, (p, partition) => {
          p.int32(partition.partitionIndex).int16(partition.errorCode);
        });
      });
    },
  };
}

export const v0 = txnOffsetCommitCodec(0);
export const v2 = txnOffsetCommitCodec(2);
