/**
 * ApiVersions Request (Version: 3) => client_software_name client_software_version TAG_BUFFER
 *   client_software_name => COMPACT_STRING
 *   client_software_version => COMPACT_STRING
 *
 * ApiVersions Response (Version: 3) => error_code [api_keys] throttle_time_ms TAG_BUFFER
 *   error_code => INT16
 *   api_keys => api_key min_version max_version TAG_BUFFER (COMPACT_ARRAY)
 *     api_key => INT16
 *     min_version => INT16
 *     max_version => INT16
 *   throttle_time_ms => INT32
 *
 * The first flexible version: the request header is v2, but the response
 * header stays v0. Brokers may add tagged fields (supported/finalized
 * features); we send none and skip any we receive.
 */
import type { VersionCodec } from '../../api.ts';
import type { Decoder } from '../../wire/decoder.ts';
import type { Encoder } from '../../wire/encoder.ts';
import type { ApiVersionRange, ApiVersionsRequest, ApiVersionsResponse } from './types.ts';
import { decodeApiVersionRange, encodeApiVersionRange } from './v0.ts';

const decodeRange = (d: Decoder): ApiVersionRange => {
  const range = decodeApiVersionRange(d);
  d.taggedFields();
  return range;
};

const encodeRange = (e: Encoder, range: ApiVersionRange): void => {
  encodeApiVersionRange(e, range);
  e.emptyTaggedFields();
};

export const v3: VersionCodec<ApiVersionsRequest, ApiVersionsResponse> = {
  decodeRequest: (d) => {
    const request = {
      clientSoftwareName: d.compactString('client_software_name'),
      clientSoftwareVersion: d.compactString('client_software_version'),
    };
    d.taggedFields();
    return request;
  },
  encodeRequest: (e, r) => {
    e.compactString(r.clientSoftwareName).compactString(r.clientSoftwareVersion).emptyTaggedFields();
  },
  decodeResponse: (d) => {
    const response = {
      errorCode: d.int16(),
      apiKeys: d.compactArray(decodeRange),
      throttleTimeMs: d.int32(),
    };
    d.taggedFields();
    return response;
  },
  encodeResponse: (e, r) => {
    e.int16(r.errorCode).compactArray(r.apiKeys, encodeRange).int32(r.throttleTimeMs).emptyTaggedFields();
  },
};
