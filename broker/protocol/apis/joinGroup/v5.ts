/**
 * JoinGroup Request (Version: 5) => group_id session_timeout_ms rebalance_timeout_ms member_id group_instance_id protocol_type [protocols]
 *   group_id => STRING
 *   session_timeout_ms => INT32
 *   rebalance_timeout_ms => INT32
 *   member_id => STRING
 *   group_instance_id => NULLABLE_STRING
 *   protocol_type => STRING
 *   protocols => name metadata
 *     name => STRING
 *     metadata => BYTES
 *
 * JoinGroup Response (Version: 5) => throttle_time_ms error_code generation_id protocol_name leader member_id [members]
 *   (as version 2, except:)
 *   members => member_id group_instance_id metadata
 *     member_id => STRING
 *     group_instance_id => NULLABLE_STRING
 *     metadata => BYTES
 */
import type { VersionCodec } from '../../api.ts';
import type { Decoder } from '../../wire/decoder.ts';
import type { Encoder } from '../../wire/encoder.ts';
import type { JoinGroupMember, JoinGroupRequest, JoinGroupResponse } from './types.ts';
import { decodeProtocol, encodeProtocol, responseBody } from './v0.ts';

const decodeMember = (d: Decoder): JoinGroupMember => ({
  memberId: d.string(),
  groupInstanceId: d.nullableString(),
  metadata: d.bytes(),
});
const encodeMember = (e: Encoder, m: JoinGroupMember): void => {
  e.string(m.memberId).nullableString(m.groupInstanceId).bytes(m.metadata);
};
const body = responseBody(decodeMember, encodeMember);

export const v5: VersionCodec<JoinGroupRequest, JoinGroupResponse> = {
  decodeRequest: (d) => ({
    groupId: d.string('group_id'),
    sessionTimeoutMs: d.int32('session_timeout_ms'),
    rebalanceTimeoutMs: d.int32('rebalance_timeout_ms'),
    memberId: d.string('member_id'),
    groupInstanceId: d.nullableString('group_instance_id'),
    protocolType: d.string('protocol_type'),
    protocols: d.array(decodeProtocol, 'protocols'),
  }),
  encodeRequest: (e, r) => {
    e.string(r.groupId).int32(r.sessionTimeoutMs).int32(r.rebalanceTimeoutMs).string(r.memberId);
    e.nullableString(r.groupInstanceId).string(r.protocolType).array(r.protocols, encodeProtocol);
  },
  decodeResponse: (d) => body.decode(d, d.int32()),
  encodeResponse: (e, r) => {
    e.int32(r.throttleTimeMs);
    body.encode(e, r);
  },
};
