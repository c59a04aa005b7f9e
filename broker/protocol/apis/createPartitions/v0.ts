/**
 * CreatePartitions Request (Version: 0) => [topics] timeout_ms validate_only
 *   topics => name count [assignments]
 *     name => STRING
 *     count => INT32
 *     assignments => [broker_ids] (nullable array)
 *       broker_ids => INT32
 *   timeout_ms => INT32
 *   validate_only => BOOLEAN
 *
 * CreatePartitions Response (Version: 0) => throttle_time_ms [results]
 *   throttle_time_ms => INT32
 *   results => name error_code error_message
 *     name => STRING
 *     error_code => INT16
 *     error_message => NULLABLE_STRING
 *
 * Version 1 has the same layout.
 */
import type { VersionCodec } from '../../api.ts';
import type { Decoder } from '../../wire/decoder.ts';
import type { Encoder } from '../../wire/encoder.ts';
import type { CreatePartitionsRequest, CreatePartitionsResponse, CreatePartitionsTopic } from './types.ts';

const decodeTopic = (d: Decoder): CreatePartitionsTopic => ({
  name: d.string(),
  count: d.int32(),
  assignments: d.nullableArray((a) => ({ brokerIds: a.int32Array() })),
});
const encodeTopic = (e: Encoder, t: CreatePartitionsTopic): void => {
  e.string(t.name)
    .int32(t.count)
    .nullableArray(t.assignments, (a, assignment) => {
      a.int32Array(assignment.brokerIds);
    });
};

export const v0: VersionCodec<CreatePartitionsRequest, CreatePartitionsResponse> = {
  decodeRequest: (d) => ({
    topics: d.array(decodeTopic, 'topics'),
    timeoutMs: d.int32('timeout_ms'),
    validateOnly: d.boolean('validate_only'),
  }),
  encodeRequest: (e, r) => {
    e.array(r.topics, encodeTopic).int32(r.timeoutMs).boolean(r.validateOnly);
  },
  decodeResponse: (d) => ({
    throttleTimeMs: d.int32(),
    results: d.array((r) => ({ name: r.string(), errorCode: r.int16(), errorMessage: r.nullableString() })),
  }),
  encodeResponse: (e, r) => {
    e.int32(r.throttleTimeMs).array(r.results, (x, result) => {
      x.string(result.name).int16(result.errorCode).nullableString(result.errorMessage);
    });
  },
};
