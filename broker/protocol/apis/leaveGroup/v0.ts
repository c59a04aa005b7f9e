/**
 * LeaveGroup Request (Version: 0) => group_id member_id
 *   group_id => STRING
 *   member_id => STRING
 *
 * LeaveGroup Response (Version: 0) => error_code
 *   error_code => INT16
 */
import type { VersionCodec } from '../../api.ts';
import type { LeaveGroupRequest, LeaveGroupResponse } from './types.ts';

export const v0: VersionCodec<LeaveGroupRequest, LeaveGroupResponse> = {
  decodeRequest: (d) => {
    const groupId = d.string('group_id');
    const memberId = d.string('member_id');
    return { groupId, memberId, members: [{ memberId, groupInstanceId: null }] };
  },
  encodeRequest: (e, r) => {
    e.string(r.groupId).string(r.memberId);
  },
  decodeResponse: (d) => ({ throttleTimeMs: 0, errorCode: d.int16(), members: [] }),
  encodeResponse: (e, r) => {
    e.int16(r.errorCode);
  },
};
