/**
 * SyncGroup Request (Version: 3) => group_id generation_id member_id group_instance_id [assignments]
 *   group_id => STRING
 *   generation_id => INT32
 *   member_id => STRING
 *   group_instance_id => NULLABLE_STRING
 *   assignments => member_id assignment
 *     member_id => STRING
 *     assignment => BYTES
 *
 * SyncGroup Response (Version: 3) => same as version 1.
 */
import type { VersionCodec } from '../../api.ts';
import type { SyncGroupRequest, SyncGroupResponse } from './types.ts';
import { decodeAssignment, encodeAssignment } from './v0.ts';
import { v1 } from './v1.ts';

export const v3: VersionCodec<SyncGroupRequest, SyncGroupResponse> = {
  ...v1,
  decodeRequest: (d) => ({
    groupId: d.string('group_id'),
    generationId: d.int32('generation_id'),
    memberId: d.string('member_id'),
    groupInstanceId: d.nullableString('group_instance_id'),
    assignments: d.array(decodeAssignment, 'assignments'),
  }),
  encodeRequest: (e, r) => {
    e.string(r.groupId).int32(r.generationId).string(r.memberId).nullableString(r.groupInstanceId);
    e.array(r.assignments, encodeAssignment);
  },
};
