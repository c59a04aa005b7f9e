/**
 * OffsetForLeaderEpoch Request (Version: 0) => [topics]
 *   topics => topic [partitions]
 *     topic => STRING
 *     partitions => partition leader_epoch
 *       partition => INT32
 *       leader_epoch => INT32
 * OffsetForLeaderEpoch Response (Version: 0) => [topics]
 *   topics => topic [partitions]
 *     topic => STRING
 *     partitions => error_code partition end_offset
 *       error_code => INT16
 *       partition => INT32
 *       end_offset => INT64
 *
 * OffsetForLeaderEpoch Request (Version: 1) => same as version 0.
 * OffsetForLeaderEpoch Response (Version: 1) => (as version 0, except:)
 *     partitions => error_code partition leader_epoch end_offset
 *       leader_epoch => INT32
 *
 * OffsetForLeaderEpoch Request (Version: 2) => (as version 0, except:)
 *     partitions => partition current_leader_epoch leader_epoch
 *       current_leader_epoch => INT32
 * OffsetForLeaderEpoch Response (Version: 2) => throttle_time_ms [topics]
 *   throttle_time_ms => INT32
 *   topics => (as version 1)
 *
 * librdkafka 2.15 sends version 2.
 */
import type { VersionCodec } from '../../api.ts';
import type { Decoder } from '../../wire/decoder.ts';
import type { Encoder } from '../../wire/encoder.ts';
import type {
  OffsetForLeaderEpochRequest,
  OffsetForLeaderEpochResponse,
  OffsetForLeaderPartition,
  OffsetForLeaderPartitionResult,
} from './types.ts';

function offsetForLeaderEpochCodec(v: number): VersionCodec<OffsetForLeaderEpochRequest, OffsetForLeaderEpochResponse> {
  const decodePartition = (d: Decoder): OffsetForLeaderPartition => ({
    partition: d.int32(),
    currentLeaderEpoch: v >= 2 ? d.int32() : -1,
    leaderEpoch: d.int32(),
  });
  const encodePartition = (e: Encoder, p: OffsetForLeaderPartition): void => {
    e.int32(p.partition);
    if (v >= 2) e.int32(p.currentLeaderEpoch);
    e.int32(p.leaderEpoch);
  };
  const decodeResult = (d: Decoder): OffsetForLeaderPartitionResult => ({
    errorCode: d.int16(),
    partition: d.int32(),
    leaderEpoch: v >= 1 ? d.int32() : -1,
    endOffset: d.int64(),
  });
  const encodeResult = (e: Encoder, p: OffsetForLeaderPartitionResult): void => {
    e.int16(p.errorCode).int32(p.partition);
    if (v >= 1) e.int32(p.leaderEpoch);
    e.int64(p.endOffset);
  };
  return {
    decodeRequest: (d) => ({
      topics: d.array((t) => ({ topic: t.string(), partitions: t.array(decodePartition) }), 'topics'),
    }),
    encodeRequest: (e, r) => {
      e.array(r.topics, (t, topic) => {
        t.string(topic.topic).array(topic.partitions, encodePartition);
      });
    },
    decodeResponse: (d) => ({
      throttleTimeMs: v >= 2 ? d.int32() : 0,
      topics: d.array((t) => ({ topic: t.string(), partitions: t.array(decodeResult) })),
    }),
    encodeResponse: (e, r) => {
      if (v >= 2) e.int32(r.throttleTimeMs);
      e.array(r.topics, (t, topic) => {
        t.string(topic.topic).array(topic.partitions, encodeResult);
      });
    },
  };
}

export const v0 = offsetForLeaderEpochCodec(0);
export const v1 = offsetForLeaderEpochCodec(1);
export const v2 = offsetForLeaderEpochCodec(2);
