/**
 * ApiVersions Request (Version: 0) => (empty)
 *
 * ApiVersions Response (Version: 0) => error_code [api_keys]
 *   error_code => INT16
 *   api_keys => api_key min_version max_version
 *     api_key => INT16
 *     min_version => INT16
 *     max_version => INT16
 *
 * This is also the layout of the answer to an ApiVersions version we do not
 * serve (error 35 and our range for key 18), because a client that sent an
 * unknown version can only be expected to read version 0.
 */
import type { VersionCodec } from '../../api.ts';
import type { Decoder } from '../../wire/decoder.ts';
import type { Encoder } from '../../wire/encoder.ts';
import type { ApiVersionRange, ApiVersionsRequest, ApiVersionsResponse } from './types.ts';

export const decodeApiVersionRange = (d: Decoder): ApiVersionRange => ({
  apiKey: d.int16(),
  minVersion: d.int16(),
  maxVersion: d.int16(),
});

export const encodeApiVersionRange = (e: Encoder, range: ApiVersionRange): void => {
  e.int16(range.apiKey).int16(range.minVersion).int16(range.maxVersion);
};

export const emptyRequest = (): ApiVersionsRequest => ({ clientSoftwareName: '', clientSoftwareVersion: '' });

export const v0: VersionCodec<ApiVersionsRequest, ApiVersionsResponse> = {
  decodeRequest: emptyRequest,
  encodeRequest: () => {},
  decodeResponse: (d) => ({
    errorCode: d.int16(),
    apiKeys: d.array(decodeApiVersionRange),
    throttleTimeMs: 0,
  }),
  encodeResponse: (e, r) => {
    e.int16(r.errorCode).array(r.apiKeys, encodeApiVersionRange);
  },
};
