/**
 * Fetch Request (Version: 4) => replica_id max_wait_ms min_bytes max_bytes isolation_level [topics]
 *   replica_id => INT32
 *   max_wait_ms => INT32
 *   min_bytes => INT32
 *   max_bytes => INT32
 *   isolation_level => INT8
 *   topics => topic [partitions]
 *     topic => STRING
 *     partitions => partition fetch_offset partition_max_bytes
 *       partition => INT32
 *       fetch_offset => INT64
 *       partition_max_bytes => INT32
 *
 * Fetch Response (Version: 4) => throttle_time_ms [responses]
 *   throttle_time_ms => INT32
 *   responses => topic [partitions]
 *     topic => STRING
 *     partitions => partition_index error_code high_watermark last_stable_offset [aborted_transactions] records
 *       partition_index => INT32
 *       error_code => INT16
 *       high_watermark => INT64
 *       last_stable_offset => INT64
 *       aborted_transactions => producer_id first_offset (nullable array)
 *         producer_id => INT64
 *         first_offset => INT64
 *       records => RECORDS (nullable i32-length bytes, kept opaque)
 */
import type { VersionCodec } from '../../api.ts';
import type { Decoder } from '../../wire/decoder.ts';
import type { Encoder } from '../../wire/encoder.ts';
import type {
  FetchAbortedTransaction,
  FetchPartition,
  FetchPartitionResponse,
  FetchRequest,
  FetchResponse,
  FetchTopic,
  FetchTopicResponse,
} from './types.ts';

type PartitionReader<T> = (d: Decoder) => T;
type PartitionWriter<T> = (e: Encoder, partition: T) => void;

/** Topic arrays are the same in every version; only their partitions change. */
export function topicsCodec(
  decodePartition: PartitionReader<FetchPartition>,
  encodePartition: PartitionWriter<FetchPartition>,
) {
  const decodeTopic = (d: Decoder): FetchTopic => ({ topic: d.string('topic'), partitions: d.array(decodePartition) });
  const encodeTopic = (e: Encoder, topic: FetchTopic): void => {
    e.string(topic.topic).array(topic.partitions, encodePartition);
  };
  return {
    decode: (d: Decoder): FetchTopic[] => d.array(decodeTopic, 'topics'),
    encode: (e: Encoder, topics: FetchTopic[]): void => {
      e.array(topics, encodeTopic);
    },
  };
}

export function responsesCodec(
  decodePartition: PartitionReader<FetchPartitionResponse>,
  encodePartition: PartitionWriter<FetchPartitionResponse>,
) {
  const decodeTopic = (d: Decoder): FetchTopicResponse => ({
    topic: d.string('topic'),
    partitions: d.array(decodePartition),
  });
  const encodeTopic = (e: Encoder, topic: FetchTopicResponse): void => {
    e.string(topic.topic).array(topic.partitions, encodePartition);
  };
  return {
    decode: (d: Decoder): FetchTopicResponse[] => d.array(decodeTopic, 'responses'),
    encode: (e: Encoder, responses: FetchTopicResponse[]): void => {
      e.array(responses, encodeTopic);
    },
  };
}

const decodePartition = (d: Decoder): FetchPartition => ({
  partition: d.int32(),
  currentLeaderEpoch: -1,
  fetchOffset: d.int64(),
  logStartOffset: -1n,
  partitionMaxBytes: d.int32(),
});

const encodePartition = (e: Encoder, p: FetchPartition): void => {
  e.int32(p.partition).int64(p.fetchOffset).int32(p.partitionMaxBytes);
};

export const decodeAbortedTransaction = (d: Decoder): FetchAbortedTransaction => ({
  producerId: d.int64(),
  firstOffset: d.int64(),
});

export const encodeAbortedTransaction = (e: Encoder, t: FetchAbortedTransaction): void => {
  e.int64(t.producerId).int64(t.firstOffset);
};

const decodePartitionResponse = (d: Decoder): FetchPartitionResponse => ({
  partitionIndex: d.int32(),
  errorCode: d.int16(),
  highWatermark: d.int64(),
  lastStableOffset: d.int64(),
  logStartOffset: -1n,
  abortedTransactions: d.nullableArray(decodeAbortedTransaction),
  preferredReadReplica: -1,
  records: d.nullableBytes('records'),
});

const encodePartitionResponse = (e: Encoder, p: FetchPartitionResponse): void => {
  e.int32(p.partitionIndex).int16(p.errorCode).int64(p.highWatermark).int64(p.lastStableOffset);
  e.nullableArray(p.abortedTransactions, encodeAbortedTransaction).nullableBytes(p.records);
};

/** The request and response bodies of versions 4-6, around their topics' and partitions' codecs. */
export function fetchV4Layout(
  topics: ReturnType<typeof topicsCodec>,
  responses: ReturnType<typeof responsesCodec>,
): VersionCodec<FetchRequest, FetchResponse> {
  return {
    decodeRequest: (d) => ({
      replicaId: d.int32(),
      maxWaitMs: d.int32(),
      minBytes: d.int32(),
      maxBytes: d.int32(),
      isolationLevel: d.int8(),
      sessionId: 0,
      sessionEpoch: -1,
      topics: topics.decode(d),
      forgottenTopicsData: [],
      rackId: '',
    }),
    encodeRequest: (e, r) => {
      e.int32(r.replicaId).int32(r.maxWaitMs).int32(r.minBytes).int32(r.maxBytes).int8(r.isolationLevel);
      topics.encode(e, r.topics);
    },
    decodeResponse: (d) => ({ throttleTimeMs: d.int32(), errorCode: 0, sessionId: 0, responses: responses.decode(d) }),
    encodeResponse: (e, r) => {
      e.int32(r.throttleTimeMs);
      responses.encode(e, r.responses);
    },
  };
}

export const v4 = fetchV4Layout(
  topicsCodec(decodePartition, encodePartition),
  responsesCodec(decodePartitionResponse, encodePartitionResponse),
);
