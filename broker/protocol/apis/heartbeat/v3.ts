/**
 * Heartbeat Request (Version: 3) => group_id generation_id member_id group_instance_id
 *   group_id => STRING
 *   generation_id => INT32
 *   member_id => STRING
 *   group_instance_id => NULLABLE_STRING
 *
 * Heartbeat Response (Version: 3) => same as version 1.
 */
import type { VersionCodec } from '../../api.ts';
import type { HeartbeatRequest, HeartbeatResponse } from './types.ts';
import { v1 } from './v1.ts';

export const v3: VersionCodec<HeartbeatRequest, HeartbeatResponse> = {
  ...v1,
  decodeRequest: (d) => {
    const request = v1.decodeRequest(d);
    request.groupInstanceId = d.nullableString('group_instance_id');
    return request;
  },
  encodeRequest: (e, r) => {
    v1.encodeRequest(e, r);
    e.nullableString(r.groupInstanceId);
  },
};
