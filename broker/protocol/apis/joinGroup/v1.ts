/**
 * JoinGroup Request (Version: 1) => group_id session_timeout_ms rebalance_timeout_ms member_id protocol_type [protocols]
 *   group_id => STRING
 *   session_timeout_ms => INT32
 *   rebalance_timeout_ms => INT32
 *   member_id => STRING
 *   protocol_type => STRING
 *   protocols => name metadata
 *     name => STRING
 *     metadata => BYTES
 *
 * JoinGroup Response (Version: 1) => same as version 0.
 */
import type { VersionCodec } from '../../api.ts';
import type { JoinGroupRequest, JoinGroupResponse } from './types.ts';
import { decodeProtocol, encodeProtocol, v0 } from './v0.ts';

export const v1: VersionCodec<JoinGroupRequest, JoinGroupResponse> = {
  ...v0,
  decodeRequest: (d) => ({
    groupId: d.string('group_id'),
    sessionTimeoutMs: d.int32('session_timeout_ms'),
    rebalanceTimeoutMs: d.int32('rebalance_timeout_ms'),
    memberId: d.string('member_id'),
    groupInstanceId: null,
    protocolType: d.string('protocol_type'),
    protocols: d.array(decodeProtocol, 'protocols'),
  }),
  encodeRequest: (e, r) => {
    e.string(r.groupId).int32(r.sessionTimeoutMs).int32(r.rebalanceTimeoutMs).string(r.memberId).string(r.protocolType);
    e.array(r.protocols, encodeProtocol);
  },
};
