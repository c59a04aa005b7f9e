/**
 * Heartbeat Request (Version: 0) => group_id generation_id member_id
 *   group_id => STRING
 *   generation_id => INT32
 *   member_id => STRING
 *
 * Heartbeat Response (Version: 0) => error_code
 *   error_code => INT16
 */
import type { VersionCodec } from '../../api.ts';
import type { HeartbeatRequest, HeartbeatResponse } from './types.ts';

export const v0: VersionCodec<HeartbeatRequest, HeartbeatResponse> = {
  decodeRequest: (d) => ({
    groupId: d.string('group_id'),
    generationId: d.int32('generation_id'),
    memberId: d.string('member_id'),
    groupInstanceId: null,
  }),
  encodeRequest: (e, r) => {
    e.string(r.groupId).int32(r.generationId).string(r.memberId);
  },
  decodeResponse: (d) => ({ throttleTimeMs: 0, errorCode: d.int16() }),
  encodeResponse: (e, r) => {
    e.int16(r.errorCode);
  },
};
