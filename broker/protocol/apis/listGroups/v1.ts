/**
 * ListGroups Request (Version: 1) => (empty)
 *
 * ListGroups Response (Version: 1) => throttle_time_ms error_code [groups]
 *   throttle_time_ms => INT32
 *   error_code => INT16
 *   groups => group_id protocol_type
 *     group_id => STRING
 *     protocol_type => STRING
 *
 * Version 2 has the same layout.
 */
import type { VersionCodec } from '../../api.ts';
import type { ListGroupsRequest, ListGroupsResponse } from './types.ts';
import { decodeGroup, encodeGroup, v0 } from './v0.ts';

export const v1: VersionCodec<ListGroupsRequest, ListGroupsResponse> = {
  ...v0,
  decodeResponse: (d) => ({ throttleTimeMs: d.int32(), errorCode: d.int16(), groups: d.array(decodeGroup) }),
  encodeResponse: (e, r) => {
    e.int32(r.throttleTimeMs).int16(r.errorCode).array(r.groups, encodeGroup);
  },
};
