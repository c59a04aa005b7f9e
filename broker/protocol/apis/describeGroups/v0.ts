/**
 * DescribeGroups Request (Version: 0) => [groups]
 *   groups => STRING
 *
 * DescribeGroups Response (Version: 0) => [groups]
 *   groups => error_code group_id group_state protocol_type protocol_data [members]
 *     error_code => INT16
 *     group_id => STRING
 *     group_state => STRING
 *     protocol_type => STRING
 *     protocol_data => STRING
 *     members => member_id client_id client_host member_metadata member_assignment
 *       member_id => STRING
 *       client_id => STRING
 *       client_host => STRING
 *       member_metadata => BYTES
 *       member_assignment => BYTES
 */
import type { VersionCodec } from '../../api.ts';
import type { Decoder } from '../../wire/decoder.ts';
import type { Encoder } from '../../wire/encoder.ts';
import type { DescribedGroup, DescribedGroupMember, DescribeGroupsRequest, DescribeGroupsResponse } from './types.ts';

/** Group codec for a member layout; `withAuthorizedOperations` from v3. */
export function groupCodec(
  decodeMember: (d: Decoder) => DescribedGroupMember,
  encodeMember: (e: Encoder, m: DescribedGroupMember) => void,
  withAuthorizedOperations: boolean,
) {
  return {
    decode: (d: Decoder): DescribedGroup => ({
      errorCode: d.int16(),
      groupId: d.string(),
      groupState: d.string(),
      protocolType: d.string(),
      protocolData: d.string(),
      members: d.array(decodeMember),
      authorizedOperations: withAuthorizedOperations ? d.int32() : -2147483648,
    }),
    encode: (e: Encoder, g: DescribedGroup): void => {
      e.int16(g.errorCode).string(g.groupId).string(g.groupState).string(g.protocolType).string(g.protocolData);
      e.array(g.members, encodeMember);
      if (withAuthorizedOperations) e.int32(g.authorizedOperations);
    },
  };
}

export const decodeMemberV0 = (d: Decoder): DescribedGroupMember => ({
  memberId: d.string(),
  groupInstanceId: null,
  clientId: d.string(),
  clientHost: d.string(),
  memberMetadata: d.bytes(),
  memberAssignment: d.bytes(),
});

export const encodeMemberV0 = (e: Encoder, m: DescribedGroupMember): void => {
  e.string(m.memberId).string(m.clientId).string(m.clientHost).bytes(m.memberMetadata).bytes(m.memberAssignment);
};

const group = groupCodec(decodeMemberV0, encodeMemberV0, false);

export const v0: VersionCodec<DescribeGroupsRequest, DescribeGroupsResponse> = {
  decodeRequest: (d) => ({ groups: d.stringArray('groups'), includeAuthorizedOperations: false }),
  encodeRequest: (e, r) => {
    e.stringArray(r.groups);
  },
  decodeResponse: (d) => ({ throttleTimeMs: 0, groups: d.array(group.decode) }),
  encodeResponse: (e, r) => {
    e.array(r.groups, group.encode);
  },
};
