/**
 * CreateTopics Request (Version: 0) => [topics] timeout_ms
 *   topics => name num_partitions replication_factor [assignments] [configs]
 *     name => STRING
 *     num_partitions => INT32
 *     replication_factor => INT16
 *     assignments => partition_index [broker_ids]
 *       partition_index => INT32
 *       broker_ids => INT32
 *     configs => name value
 *       name => STRING
 *       value => NULLABLE_STRING
 *   timeout_ms => INT32
 * CreateTopics Response (Version: 0) => [topics]
 *   topics => name error_code
 *     name => STRING
 *     error_code => INT16
 *
 * CreateTopics Request (Version: 1) => [topics] timeout_ms validate_only
 *   validate_only => BOOLEAN
 * CreateTopics Response (Version: 1) => [topics]
 *   topics => name error_code error_message
 *     error_message => NULLABLE_STRING
 *
 * CreateTopics Request (Version: 2) => same as version 1.
 * CreateTopics Response (Version: 2) => throttle_time_ms [topics]
 *   throttle_time_ms => INT32
 *
 * Versions 3 and 4 are the same as version 2.
 */
import type { VersionCodec } from '../../api.ts';
import type { Decoder } from '../../wire/decoder.ts';
import type { Encoder } from '../../wire/encoder.ts';
import type {
  CreatableReplicaAssignment,
  CreatableTopic,
  CreatableTopicConfig,
  CreatableTopicResult,
  CreateTopicsRequest,
  CreateTopicsResponse,
} from './types.ts';

const decodeAssignment = (d: Decoder): CreatableReplicaAssignment => ({
  partitionIndex: d.int32(),
  brokerIds: d.int32Array(),
});
const encodeAssignment = (e: Encoder, a: CreatableReplicaAssignment): void => {
  e.int32(a.partitionIndex).int32Array(a.brokerIds);
};
const decodeConfig = (d: Decoder): CreatableTopicConfig => ({ name: d.string(), value: d.nullableString() });
const encodeConfig = (e: Encoder, c: CreatableTopicConfig): void => {
  e.string(c.name).nullableString(c.value);
};
const decodeTopic = (d: Decoder): CreatableTopic => ({
  name: d.string(),
  numPartitions: d.int32(),
  replicationFactor: d.int16(),
  assignments: d.array(decodeAssignment),
  configs: d.array(decodeConfig),
});
const encodeTopic = (e: Encoder, t: CreatableTopic): void => {
  e.string(t.name).int32(t.numPartitions).int16(t.replicationFactor);
  e.array(t.assignments, encodeAssignment).array(t.configs, encodeConfig);
};

function createTopicsCodec(v: number): VersionCodec<CreateTopicsRequest, CreateTopicsResponse> {
  const decodeResult = (d: Decoder): CreatableTopicResult => ({
    name: d.string(),
    errorCode: d.int16(),
    errorMessage: v >= 1 ? d.nullableString() : null,
  });
  const encodeResult = (e: Encoder, r: CreatableTopicResult): void => {
    e.string(r.name).int16(r.errorCode);
    if (v >= 1) e.nullableString(r.errorMessage);
  };
  return {
    decodeRequest: (d) => ({
      topics: d.array(decodeTopic, 'topics'),
      timeoutMs: d.int32('timeout_ms'),
      validateOnly: v >= 1 ? d.boolean('validate_only') : false,
    }),
    encodeRequest: (e, r) => {
      e.array(r.topics, encodeTopic).int32(r.timeoutMs);
      if (v >= 1) e.boolean(r.validateOnly);
    },
    decodeResponse: (d) => ({ throttleTimeMs: v >= 2 ? d.int32() : 0, topics: d.array(decodeResult) }),
    encodeResponse: (e, r) => {
      if (v >= 2) e.int32(r.throttleTimeMs);
      e.array(r.topics, encodeResult);
    },
  };
}

export const v0 = createTopicsCodec(0);
export const v1 = createTopicsCodec(1);
export const v2 = createTopicsCodec(2);
