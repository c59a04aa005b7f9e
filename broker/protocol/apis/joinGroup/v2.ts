/**
 * JoinGroup Request (Version: 2) => same as version 1.
 *
 * JoinGroup Response (Version: 2) => throttle_time_ms error_code generation_id protocol_name leader member_id [members]
 *   throttle_time_ms => INT32
 *   (the rest as version 0)
 *
 * Versions 3 and 4 have the same layout.
 */
import type { VersionCodec } from '../../api.ts';
import type { JoinGroupRequest, JoinGroupResponse } from './types.ts';
import { responseBodyV0 } from './v0.ts';
import { v1 } from './v1.ts';

export const v2: VersionCodec<JoinGroupRequest, JoinGroupResponse> = {
  ...v1,
  decodeResponse: (d) => responseBodyV0.decode(d, d.int32()),
  encodeResponse: (e, r) => {
    e.int32(r.throttleTimeMs);
    responseBodyV0.encode(e, r);
  },
};
