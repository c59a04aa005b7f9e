/**
 * JoinGroup Request (Version: 0) => group_id session_timeout_ms member_id protocol_type [protocols]
 *   group_id => STRING
 *   session_timeout_ms => INT32
 *   member_id => STRING
 *   protocol_type => STRING
 *   protocols => name metadata
 *     name => STRING
 *     metadata => BYTES
 *
 * JoinGroup Response (Version: 0) => error_code generation_id protocol_name leader member_id [members]
 *   error_code => INT16
 *   generation_id => INT32
 *   protocol_name => STRING
 *   leader => STRING
 *   member_id => STRING
 *   members => member_id metadata
 *     member_id => STRING
 *     metadata => BYTES
 */
import type { VersionCodec } from '../../api.ts';
import type { Decoder } from '../../wire/decoder.ts';
import type { Encoder } from '../../wire/encoder.ts';
import type { JoinGroupMember, JoinGroupProtocol, JoinGroupRequest, JoinGroupResponse } from './types.ts';

export const decodeProtocol = (d: Decoder): JoinGroupProtocol => ({ name: d.string(), metadata: d.bytes() });
export const encodeProtocol = (e: Encoder, p: JoinGroupProtocol): void => {
  e.string(p.name).bytes(p.metadata);
};

const decodeMember = (d: Decoder): JoinGroupMember => ({
  memberId: d.string(),
  groupInstanceId: null,
  metadata: d.bytes(),
});
const encodeMember = (e: Encoder, m: JoinGroupMember): void => {
  e.string(m.memberId).bytes(m.metadata);
};

/** Response fields after throttle_time_ms, for a given member layout (v5 adds group_instance_id). */
export function responseBody(
  decodeMemberOf: (d: Decoder) => JoinGroupMember,
  encodeMemberOf: (e: Encoder, m: JoinGroupMember) => void,
) {
  return {
    decode: (d: Decoder, throttleTimeMs: number): JoinGroupResponse => ({
      throttleTimeMs,
      errorCode: d.int16(),
      generationId: d.int32(),
      protocolName: d.string(),
      leader: d.string(),
      memberId: d.string(),
      members: d.array(decodeMemberOf),
    }),
    encode: (e: Encoder, r: JoinGroupResponse): void => {
      e.int16(r.errorCode).int32(r.generationId).string(r.protocolName).string(r.leader).string(r.memberId);
      e.array(r.members, encodeMemberOf);
    },
  };
}

export const responseBodyV0 = responseBody(decodeMember, encodeMember);

export const v0: VersionCodec<JoinGroupRequest, JoinGroupResponse> = {
  decodeRequest: (d) => {
    const groupId = d.string('group_id');
    const sessionTimeoutMs = d.int32('session_timeout_ms');
    return {
      groupId,
      sessionTimeoutMs,
      rebalanceTimeoutMs: sessionTimeoutMs,
      memberId: d.string('member_id'),
      groupInstanceId: null,
      protocolType: d.string('protocol_type'),
      protocols: d.array(decodeProtocol, 'protocols'),
    };
  },
  encodeRequest: (e, r) => {
    e.string(r.groupId).int32(r.sessionTimeoutMs).string(r.memberId).string(r.protocolType);
    e.array(r.protocols, encodeProtocol);
  },
  decodeResponse: (d) => responseBodyV0.decode(d, 0),
  encodeResponse: (e, r) => responseBodyV0.encode(e, r),
};
