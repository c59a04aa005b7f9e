/**
 * SaslHandshake Request (Version: 0) => mechanism
 *   mechanism => STRING
 *
 * SaslHandshake Response (Version: 0) => error_code [mechanisms]
 *   error_code => INT16
 *   mechanisms => STRING
 *
 * Version 1 has the same layout; it means the SASL tokens that follow are
 * wrapped in SaslAuthenticate requests instead of being sent raw.
 */
import type { VersionCodec } from '../../api.ts';
import type { SaslHandshakeRequest, SaslHandshakeResponse } from './types.ts';

export const v0: VersionCodec<SaslHandshakeRequest, SaslHandshakeResponse> = {
  decodeRequest: (d) => ({ mechanism: d.string('mechanism') }),
  encodeRequest: (e, r) => {
    e.string(r.mechanism);
  },
  decodeResponse: (d) => ({ errorCode: d.int16(), mechanisms: d.stringArray() }),
  encodeResponse: (e, r) => {
    e.int16(r.errorCode).stringArray(r.mechanisms);
  },
};
