/**
 * ListGroups Request (Version: 0) => (empty)
 *
 * ListGroups Response (Version: 0) => error_code [groups]
 *   error_code => INT16
 *   groups => group_id protocol_type
 *     group_id => STRING
 *     protocol_type => STRING
 */
import type { VersionCodec } from '../../api.ts';
import type { Decoder } from '../../wire/decoder.ts';
import type { Encoder } from '../../wire/encoder.ts';
import type { ListedGroup, ListGroupsRequest, ListGroupsResponse } from './types.ts';

export const decodeGroup = (d: Decoder): ListedGroup => ({ groupId: d.string(), protocolType: d.string() });
export const encodeGroup = (e: Encoder, g: ListedGroup): void => {
  e.string(g.groupId).string(g.protocolType);
};

export const v0: VersionCodec<ListGroupsRequest, ListGroupsResponse> = {
  decodeRequest: () => ({}),
  encodeRequest: () => {},
  decodeResponse: (d) => ({ throttleTimeMs: 0, errorCode: d.int16(), groups: d.array(decodeGroup) }),
  encodeResponse: (e, r) => {
    e.int16(r.errorCode).array(r.groups, encodeGroup);
  },
};
