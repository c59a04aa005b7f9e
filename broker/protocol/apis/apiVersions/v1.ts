/**
 * ApiVersions Request (Version: 1) => (empty)
 *
 * ApiVersions Response (Version: 1) => error_code [api_keys] throttle_time_ms
 *   error_code => INT16
 *   api_keys => api_key min_version max_version
 *     api_key => INT16
 *     min_version => INT16
 *     max_version => INT16
 *   throttle_time_ms => INT32
 *
 * Version 2 has the same layout.
 */
import type { VersionCodec } from '../../api.ts';
import type { ApiVersionsRequest, ApiVersionsResponse } from './types.ts';
import { v0 } from './v0.ts';

export const v1: VersionCodec<ApiVersionsRequest, ApiVersionsResponse> = {
  ...v0,
  decodeResponse: (d) => {
    const response = v0.decodeResponse(d);
    // Some old brokers omitted the throttle time (kafkajs#491); clients, like
    // the Java one, read it as 0.
    response.throttleTimeMs = d.remaining === 0 ? 0 : d.int32();
    return response;
  },
  encodeResponse: (e, r) => {
    v0.encodeResponse(e, r);
    e.int32(r.throttleTimeMs);
  },
};
