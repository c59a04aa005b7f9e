/**
 * Produce Request (Version: 3) => transactional_id acks timeout_ms [topic_data]
 *   transactional_id => NULLABLE_STRING
 *   acks => INT16
 *   timeout_ms => INT32
 *   topic_data => name [partition_data]
 *     name => STRING
 *     partition_data => index records
 *       index => INT32
 *       records => RECORDS (nullable i32-length bytes, kept opaque)
 *
 * Produce Response (Version: 3) => [responses] throttle_time_ms
 *   responses => name [partition_responses]
 *     name => STRING
 *     partition_responses => index error_code base_offset log_append_time_ms
 *       index => INT32
 *       error_code => INT16
 *       base_offset => INT64
 *       log_append_time_ms => INT64
 *   throttle_time_ms => INT32
 *
 * Requests of versions 3 to 8 are identical (later versions only allow newer
 * compression codecs and error codes).
 */
import type { VersionCodec } from '../../api.ts';
import type { Decoder } from '../../wire/decoder.ts';
import type { Encoder } from '../../wire/encoder.ts';
import type {
  ProducePartitionData,
  ProducePartitionResponse,
  ProduceRequest,
  ProduceResponse,
  ProduceTopicData,
  ProduceTopicResponse,
} from './types.ts';

export function decodeRequest(d: Decoder): ProduceRequest {
  return {
    transactionalId: d.nullableString('transactional_id'),
    acks: d.int16('acks'),
    timeoutMs: d.int32('timeout_ms'),
    topics: d.array(decodeTopicData, 'topic_data'),
  };
}

const decodeTopicData = (d: Decoder): ProduceTopicData => ({
  name: d.string('topic_data.name'),
  partitions: d.array(decodePartitionData, 'partition_data'),
});

const decodePartitionData = (d: Decoder): ProducePartitionData => ({
  index: d.int32('partition_data.index'),
  records: d.nullableBytes('partition_data.records'),
});

export function encodeRequest(e: Encoder, request: ProduceRequest): void {
  e.nullableString(request.transactionalId).int16(request.acks).int32(request.timeoutMs);
  e.array(request.topics, encodeTopicData);
}

const encodeTopicData = (e: Encoder, topic: ProduceTopicData): void => {
  e.string(topic.name).array(topic.partitions, encodePartitionData);
};

const encodePartitionData = (e: Encoder, partition: ProducePartitionData): void => {
  e.int32(partition.index).nullableBytes(partition.records);
};

/** Response partition as in v3/v4; later versions add fields after it. */
export function decodePartitionResponseV3(d: Decoder): ProducePartitionResponse {
  return {
    index: d.int32(),
    errorCode: d.int16(),
    baseOffset: d.int64(),
    logAppendTimeMs: d.int64(),
    logStartOffset: -1n,
    recordErrors: [],
    errorMessage: null,
  };
}

export function encodePartitionResponseV3(e: Encoder, partition: ProducePartitionResponse): void {
  e.int32(partition.index).int16(partition.errorCode).int64(partition.baseOffset).int64(partition.logAppendTimeMs);
}

/** The response envelope, shared by every version; only the partition layout changes. */
export function responseCodec(
  decodePartition: (d: Decoder) => ProducePartitionResponse,
  encodePartition: (e: Encoder, partition: ProducePartitionResponse) => void,
): Pick<VersionCodec<ProduceRequest, ProduceResponse>, 'decodeResponse' | 'encodeResponse'> {
  const decodeTopic = (d: Decoder): ProduceTopicResponse => ({
    name: d.string(),
    partitions: d.array(decodePartition),
  });
  const encodeTopic = (e: Encoder, topic: ProduceTopicResponse): void => {
    e.string(topic.name).array(topic.partitions, encodePartition);
  };
  return {
    decodeResponse: (d) => ({ responses: d.array(decodeTopic), throttleTimeMs: d.int32() }),
    encodeResponse: (e, response) => {
      e.array(response.responses, encodeTopic).int32(response.throttleTimeMs);
    },
  };
}

export const v3: VersionCodec<ProduceRequest, ProduceResponse> = {
  decodeRequest,
  encodeRequest,
  ...responseCodec(decodePartitionResponseV3, encodePartitionResponseV3),
};
