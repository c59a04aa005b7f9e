/**
 * DescribeGroups Request (Version: 1) => same as version 0.
 *
 * DescribeGroups Response (Version: 1) => throttle_time_ms [groups]
 *   throttle_time_ms => INT32
 *   groups => (as version 0)
 *
 * Version 2 has the same layout.
 */
import type { VersionCodec } from '../../api.ts';
import type { DescribeGroupsRequest, DescribeGroupsResponse } from './types.ts';
import { decodeMemberV0, encodeMemberV0, groupCodec, v0 } from './v0.ts';

const group = groupCodec(decodeMemberV0, encodeMemberV0, false);

export const v1: VersionCodec<DescribeGroupsRequest, DescribeGroupsResponse> = {
  ...v0,
  decodeResponse: (d) => ({ throttleTimeMs: d.int32(), groups: d.array(group.decode) }),
  encodeResponse: (e, r) => {
    e.int32(r.throttleTimeMs).array(r.groups, group.encode);
  },
};
