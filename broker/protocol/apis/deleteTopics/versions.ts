/**
 * DeleteTopics Request (Version: 0) => [topic_names] timeout_ms
 *   topic_names => STRING
 *   timeout_ms => INT32
 * DeleteTopics Response (Version: 0) => [responses]
 *   responses => name error_code
 *     name => STRING
 *     error_code => INT16
 *
 * DeleteTopics Request (Version: 1) => same as version 0.
 * DeleteTopics Response (Version: 1) => throttle_time_ms [responses]
 *   throttle_time_ms => INT32
 *
 * Versions 2 and 3 are the same as version 1.
 */
import type { VersionCodec } from '../../api.ts';
import type { DeleteTopicsRequest, DeleteTopicsResponse } from './types.ts';

function deleteTopicsCodec(v: number): VersionCodec<DeleteTopicsRequest, DeleteTopicsResponse> {
  return {
    decodeRequest: (d) => ({ topicNames: d.stringArray('topic_names'), timeoutMs: d.int32('timeout_ms') }),
    encodeRequest: (e, r) => {
      e.stringArray(r.topicNames).int32(r.timeoutMs);
    },
    decodeResponse: (d) => ({
      throttleTimeMs: v >= 1 ? d.int32() : 0,
      responses: d.array((t) => ({ name: t.string(), errorCode: t.int16() })),
    }),
    encodeResponse: (e, r) => {
      if (v >= 1) e.int32(r.throttleTimeMs);
      e.array(r.responses, (t, topic) => {
        t.string(topic.name).int16(topic.errorCode);
      });
    },
  };
}

export const v0 = deleteTopicsCodec(0);
export const v1 = deleteTopicsCodec(1);
