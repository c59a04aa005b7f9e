/**
 * LeaveGroup Request (Version: 3) => group_id [members]
 *   group_id => STRING
 *   members => member_id group_instance_id
 *     member_id => STRING
 *     group_instance_id => NULLABLE_STRING
 *
 * LeaveGroup Response (Version: 3) => throttle_time_ms error_code [members]
 *   throttle_time_ms => INT32
 *   error_code => INT16
 *   members => member_id group_instance_id error_code
 *     member_id => STRING
 *     group_instance_id => NULLABLE_STRING
 *     error_code => INT16
 */
import type { VersionCodec } from '../../api.ts';
import type { Decoder } from '../../wire/decoder.ts';
import type { Encoder } from '../../wire/encoder.ts';
import type { LeaveGroupMember, LeaveGroupMemberResponse, LeaveGroupRequest, LeaveGroupResponse } from './types.ts';

const decodeMember = (d: Decoder): LeaveGroupMember => ({ memberId: d.string(), groupInstanceId: d.nullableString() });
const encodeMember = (e: Encoder, m: LeaveGroupMember): void => {
  e.string(m.memberId).nullableString(m.groupInstanceId);
};
const decodeMemberResponse = (d: Decoder): LeaveGroupMemberResponse => ({
  memberId: d.string(),
  groupInstanceId: d.nullableString(),
  errorCode: d.int16(),
});
const encodeMemberResponse = (e: Encoder, m: LeaveGroupMemberResponse): void => {
  e.string(m.memberId).nullableString(m.groupInstanceId).int16(m.errorCode);
};

export const v3: VersionCodec<LeaveGroupRequest, LeaveGroupResponse> = {
  decodeRequest: (d) => ({ groupId: d.string('group_id'), memberId: '', members: d.array(decodeMember, 'members') }),
  encodeRequest: (e, r) => {
    e.string(r.groupId).array(r.members, encodeMember);
  },
  decodeResponse: (d) => ({
    throttleTimeMs: d.int32(),
    errorCode: d.int16(),
    members: d.array(decodeMemberResponse),
  }),
  encodeResponse: (e, r) => {
    e.int32(r.throttleTimeMs).int16(r.errorCode).array(r.members, encodeMemberResponse);
  },
};
