/**
 * ListOffsets Request (Version: 2) => replica_id isolation_level [topics]
 *   replica_id => INT32
 *   isolation_level => INT8
 *   topics => (as version 1)
 *
 * ListOffsets Response (Version: 2) => throttle_time_ms [topics]
 *   throttle_time_ms => INT32
 *   topics => (as version 1)
 *
 * Version 3 has the same layout; version 4 changes the partitions (v4.ts).
 */
import type { VersionCodec } from '../../api.ts';
import type { ListOffsetsRequest, ListOffsetsResponse } from './types.ts';
import { type RequestTopicCodec, type ResponseTopicCodec, requestTopicV1, responseTopicV1 } from './v1.ts';

export function codecV2(
  requestTopic: RequestTopicCodec,
  responseTopic: ResponseTopicCodec,
): VersionCodec<ListOffsetsRequest, ListOffsetsResponse> {
  return {
    decodeRequest: (d) => ({
      replicaId: d.int32('replica_id'),
      isolationLevel: d.int8('isolation_level'),
      topics: d.array(requestTopic.decode),
    }),
    encodeRequest: (e, r) => {
      e.int32(r.replicaId).int8(r.isolationLevel).array(r.topics, requestTopic.encode);
    },
    decodeResponse: (d) => ({ throttleTimeMs: d.int32(), topics: d.array(responseTopic.decode) }),
    encodeResponse: (e, r) => {
      e.int32(r.throttleTimeMs).array(r.topics, responseTopic.encode);
    },
  };
}

export const v2 = codecV2(requestTopicV1, responseTopicV1);
