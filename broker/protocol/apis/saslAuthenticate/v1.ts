/**
 * SaslAuthenticate Request (Version: 1) => same as version 0.
 *
 * SaslAuthenticate Response (Version: 1) => error_code error_message auth_bytes session_lifetime_ms
 *   error_code => INT16
 *   error_message => NULLABLE_STRING
 *   auth_bytes => BYTES
 *   session_lifetime_ms => INT64
 */
import type { VersionCodec } from '../../api.ts';
import type { SaslAuthenticateRequest, SaslAuthenticateResponse } from './types.ts';
import { v0 } from './v0.ts';

export const v1: VersionCodec<SaslAuthenticateRequest, SaslAuthenticateResponse> = {
  ...v0,
  decodeResponse: (d) => {
    const response = v0.decodeResponse(d);
    response.sessionLifetimeMs = d.int64();
    return response;
  },
  encodeResponse: (e, r) => {
    v0.encodeResponse(e, r);
    e.int64(r.sessionLifetimeMs);
  },
};
