/**
 * Fetch Request (Version: 7) => replica_id max_wait_ms min_bytes max_bytes isolation_level session_id session_epoch [topics] [forgotten_topics_data]
 *   replica_id => INT32
 *   max_wait_ms => INT32
 *   min_bytes => INT32
 *   max_bytes => INT32
 *   isolation_level => INT8
 *   session_id => INT32
 *   session_epoch => INT32
 *   topics => (as version 5)
 *   forgotten_topics_data => topic [partitions]
 *     topic => STRING
 *     partitions => INT32
 *
 * Fetch Response (Version: 7) => throttle_time_ms error_code session_id [responses]
 *   throttle_time_ms => INT32
 *   error_code => INT16
 *   session_id => INT32
 *   responses => (as version 5)
 *
 * Version 8 has the same layout.
 */
import type { VersionCodec } from '../../api.ts';
import type { Decoder } from '../../wire/decoder.ts';
import type { Encoder } from '../../wire/encoder.ts';
import type { FetchForgottenTopic, FetchRequest, FetchResponse, FetchTopic } from './types.ts';
import { responsesV5, topicsV5 } from './v5.ts';

const decodeForgottenTopic = (d: Decoder): FetchForgottenTopic => ({ topic: d.string(), partitions: d.int32Array() });

const encodeForgottenTopic = (e: Encoder, t: FetchForgottenTopic): void => {
  e.string(t.topic).int32Array(t.partitions);
};

type TopicsCodec = { decode: (d: Decoder) => FetchTopic[]; encode: (e: Encoder, topics: FetchTopic[]) => void };

/** The v7 request envelope around a given topics layout (v9 changes only the partitions). */
export function requestCodecV7(
  topics: TopicsCodec,
): Pick<VersionCodec<FetchRequest, FetchResponse>, 'decodeRequest' | 'encodeRequest'> {
  return {
    decodeRequest: (d) => ({
      replicaId: d.int32(),
      maxWaitMs: d.int32(),
      minBytes: d.int32(),
      maxBytes: d.int32(),
      isolationLevel: d.int8(),
      sessionId: d.int32(),
      sessionEpoch: d.int32(),
      topics: topics.decode(d),
      forgottenTopicsData: d.array(decodeForgottenTopic),
      rackId: '',
    }),
    encodeRequest: (e, r) => {
      e.int32(r.replicaId).int32(r.maxWaitMs).int32(r.minBytes).int32(r.maxBytes).int8(r.isolationLevel);
      e.int32(r.sessionId).int32(r.sessionEpoch);
      topics.encode(e, r.topics);
      e.array(r.forgottenTopicsData, encodeForgottenTopic);
    },
  };
}

type ResponsesCodec = typeof responsesV5;

export function responseCodecV7(
  responses: ResponsesCodec,
): Pick<VersionCodec<FetchRequest, FetchResponse>, 'decodeResponse' | 'encodeResponse'> {
  return {
    decodeResponse: (d) => ({
      throttleTimeMs: d.int32(),
      errorCode: d.int16(),
      sessionId: d.int32(),
      responses: responses.decode(d),
    }),
    encodeResponse: (e, r) => {
      e.int32(r.throttleTimeMs).int16(r.errorCode).int32(r.sessionId);
      responses.encode(e, r.responses);
    },
  };
}

export const v7: VersionCodec<FetchRequest, FetchResponse> = {
  ...requestCodecV7(topicsV5),
  ...responseCodecV7(responsesV5),
};
