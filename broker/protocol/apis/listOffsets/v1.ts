/**
 * ListOffsets Request (Version: 1) => replica_id [topics]
 *   replica_id => INT32
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index timestamp
 *       partition_index => INT32
 *       timestamp => INT64
 *
 * ListOffsets Response (Version: 1) => [topics]
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index error_code timestamp offset
 *       partition_index => INT32
 *       error_code => INT16
 *       timestamp => INT64
 *       offset => INT64
 */
import type { VersionCodec } from '../../api.ts';
import type { Decoder } from '../../wire/decoder.ts';
import type { Encoder } from '../../wire/encoder.ts';
import type {
  ListOffsetsPartition,
  ListOffsetsPartitionResponse,
  ListOffsetsRequest,
  ListOffsetsResponse,
  ListOffsetsTopic,
  ListOffsetsTopicResponse,
} from './types.ts';

/** `name [partitions]`, the topic wrapper of every version. */
export function topicCodec<P>(decodePartition: (d: Decoder) => P, encodePartition: (e: Encoder, p: P) => void) {
  return {
    decode: (d: Decoder): { name: string; partitions: P[] } => ({
      name: d.string(),
      partitions: d.array(decodePartition),
    }),
    encode: (e: Encoder, t: { name: string; partitions: P[] }): void => {
      e.string(t.name).array(t.partitions, encodePartition);
    },
  };
}

export const requestTopicV1 = topicCodec<ListOffsetsPartition>(
  (d) => ({ partitionIndex: d.int32(), currentLeaderEpoch: -1, timestamp: d.int64() }),
  (e, p) => {
    e.int32(p.partitionIndex).int64(p.timestamp);
  },
);

export const responseTopicV1 = topicCodec<ListOffsetsPartitionResponse>(
  (d) => ({
    partitionIndex: d.int32(),
    errorCode: d.int16(),
    timestamp: d.int64(),
    offset: d.int64(),
    leaderEpoch: -1,
  }),
  (e, p) => {
    e.int32(p.partitionIndex).int16(p.errorCode).int64(p.timestamp).int64(p.offset);
  },
);

export type TopicCodec<T> = { decode: (d: Decoder) => T; encode: (e: Encoder, t: T) => void };
export type RequestTopicCodec = TopicCodec<ListOffsetsTopic>;
export type ResponseTopicCodec = TopicCodec<ListOffsetsTopicResponse>;

export const v1: VersionCodec<ListOffsetsRequest, ListOffsetsResponse> = {
  decodeRequest: (d) => ({
    replicaId: d.int32('replica_id'),
    isolationLevel: 0,
    topics: d.array(requestTopicV1.decode),
  }),
  encodeRequest: (e, r) => {
    e.int32(r.replicaId).array(r.topics, requestTopicV1.encode);
  },
  decodeResponse: (d) => ({ throttleTimeMs: 0, topics: d.array(responseTopicV1.decode) }),
  encodeResponse: (e, r) => {
    e.array(r.topics, responseTopicV1.encode);
  },
};
