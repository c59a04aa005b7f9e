/**
 * SyncGroup Request (Version: 0) => group_id generation_id member_id [assignments]
 *   group_id => STRING
 *   generation_id => INT32
 *   member_id => STRING
 *   assignments => member_id assignment
 *     member_id => STRING
 *     assignment => BYTES
 *
 * SyncGroup Response (Version: 0) => error_code assignment
 *   error_code => INT16
 *   assignment => BYTES
 */
import type { VersionCodec } from '../../api.ts';
import type { Decoder } from '../../wire/decoder.ts';
import type { Encoder } from '../../wire/encoder.ts';
import type { SyncGroupAssignment, SyncGroupRequest, SyncGroupResponse } from './types.ts';

export const decodeAssignment = (d: Decoder): SyncGroupAssignment => ({ memberId: d.string(), assignment: d.bytes() });
export const encodeAssignment = (e: Encoder, a: SyncGroupAssignment): void => {
  e.string(a.memberId).bytes(a.assignment);
};

export const v0: VersionCodec<SyncGroupRequest, SyncGroupResponse> = {
  decodeRequest: (d) => ({
    groupId: d.string('group_id'),
    generationId: d.int32('generation_id'),
    memberId: d.string('member_id'),
    groupInstanceId: null,
    assignments: d.array(decodeAssignment, 'assignments'),
  }),
  encodeRequest: (e, r) => {
    e.string(r.groupId).int32(r.generationId).string(r.memberId).array(r.assignments, encodeAssignment);
  },
  decodeResponse: (d) => ({ throttleTimeMs: 0, errorCode: d.int16(), assignment: d.bytes() }),
  encodeResponse: (e, r) => {
    e.int16(r.errorCode).bytes(r.assignment);
  },
};
