/**
 * DescribeGroups Request (Version: 3) => [groups] include_authorized_operations
 *   groups => STRING
 *   include_authorized_operations => BOOLEAN
 *
 * DescribeGroups Response (Version: 3) => throttle_time_ms [groups]
 *   throttle_time_ms => INT32
 *   groups => error_code group_id group_state protocol_type protocol_data [members] authorized_operations
 *     (as version 0, then)
 *     authorized_operations => INT32
 *
 * Version 4 adds group_instance_id to members (see v4.ts).
 */
import type { VersionCodec } from '../../api.ts';
import type { Decoder } from '../../wire/decoder.ts';
import type { Encoder } from '../../wire/encoder.ts';
import type { DescribedGroupMember, DescribeGroupsRequest, DescribeGroupsResponse } from './types.ts';
import { decodeMemberV0, encodeMemberV0, groupCodec } from './v0.ts';

export function codecV3(
  decodeMember: (d: Decoder) => DescribedGroupMember,
  encodeMember: (e: Encoder, m: DescribedGroupMember) => void,
): VersionCodec<DescribeGroupsRequest, DescribeGroupsResponse> {
  const group = groupCodec(decodeMember, encodeMember, true);
  return {
    decodeRequest: (d) => ({
      groups: d.stringArray('groups'),
      includeAuthorizedOperations: d.boolean('include_authorized_operations'),
    }),
    encodeRequest: (e, r) => {
      e.stringArray(r.groups).boolean(r.includeAuthorizedOperations);
    },
    decodeResponse: (d) => ({ throttleTimeMs: d.int32(), groups: d.array(group.decode) }),
    encodeResponse: (e, r) => {
      e.int32(r.throttleTimeMs).array(r.groups, group.encode);
    },
  };
}

export const v3 = codecV3(decodeMemberV0, encodeMemberV0);
