/**
 * DescribeGroups Request (Version: 4) => same as version 3.
 *
 * DescribeGroups Response (Version: 4) => (as version 3, except:)
 *     members => member_id group_instance_id client_id client_host member_metadata member_assignment
 *       member_id => STRING
 *       group_instance_id => NULLABLE_STRING
 *       client_id => STRING
 *       client_host => STRING
 *       member_metadata => BYTES
 *       member_assignment => BYTES
 */
import type { Decoder } from '../../wire/decoder.ts';
import type { Encoder } from '../../wire/encoder.ts';
import type { DescribedGroupMember } from './types.ts';
import { codecV3 } from './v3.ts';

const decodeMember = (d: Decoder): DescribedGroupMember => ({
  memberId: d.string(),
  groupInstanceId: d.nullableString(),
  clientId: d.string(),
  clientHost: d.string(),
  memberMetadata: d.bytes(),
  memberAssignment: d.bytes(),
});

const encodeMember = (e: Encoder, m: DescribedGroupMember): void => {
  e.string(m.memberId).nullableString(m.groupInstanceId).string(m.clientId).string(m.clientHost);
  e.bytes(m.memberMetadata).bytes(m.memberAssignment);
};

export const v4 = codecV3(decodeMember, encodeMember);
