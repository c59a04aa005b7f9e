/**
 * SyncGroup Request (Version: 1) => same as version 0.
 *
 * SyncGroup Response (Version: 1) => throttle_time_ms error_code assignment
 *   throttle_time_ms => INT32
 *   error_code => INT16
 *   assignment => BYTES
 *
 * Version 2 has the same layout.
 */
import type { VersionCodec } from '../../api.ts';
import type { SyncGroupRequest, SyncGroupResponse } from './types.ts';
import { v0 } from './v0.ts';

export const v1: VersionCodec<SyncGroupRequest, SyncGroupResponse> = {
  ...v0,
  decodeResponse: (d) => ({ throttleTimeMs: d.int32(), errorCode: d.int16(), assignment: d.bytes() }),
  encodeResponse: (e, r) => {
    e.int32(r.throttleTimeMs).int16(r.errorCode).bytes(r.assignment);
  },
};
