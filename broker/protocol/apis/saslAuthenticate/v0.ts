/**
 * SaslAuthenticate Request (Version: 0) => auth_bytes
 *   auth_bytes => BYTES
 *
 * SaslAuthenticate Response (Version: 0) => error_code error_message auth_bytes
 *   error_code => INT16
 *   error_message => NULLABLE_STRING
 *   auth_bytes => BYTES
 */
import type { VersionCodec } from '../../api.ts';
import type { SaslAuthenticateRequest, SaslAuthenticateResponse } from './types.ts';

export const v0: VersionCodec<SaslAuthenticateRequest, SaslAuthenticateResponse> = {
  decodeRequest: (d) => ({ authBytes: d.bytes('auth_bytes') }),
  encodeRequest: (e, r) => {
    e.bytes(r.authBytes);
  },
  decodeResponse: (d) => ({
    errorCode: d.int16(),
    errorMessage: d.nullableString(),
    authBytes: d.bytes(),
    sessionLifetimeMs: 0n,
  }),
  encodeResponse: (e, r) => {
    e.int16(r.errorCode).nullableString(r.errorMessage).bytes(r.authBytes);
  },
};
