/**
 * DeleteGroups Request (Version: 0) => [groups_names]
 *   groups_names => STRING
 *
 * DeleteGroups Response (Version: 0) => throttle_time_ms [results]
 *   throttle_time_ms => INT32
 *   results => group_id error_code
 *     group_id => STRING
 *     error_code => INT16
 *
 * Version 1 has the same layout.
 */
import type { VersionCodec } from '../../api.ts';
import type { Decoder } from '../../wire/decoder.ts';
import type { Encoder } from '../../wire/encoder.ts';
import type { DeletedGroupResult, DeleteGroupsRequest, DeleteGroupsResponse } from './types.ts';

const decodeResult = (d: Decoder): DeletedGroupResult => ({ groupId: d.string(), errorCode: d.int16() });
const encodeResult = (e: Encoder, r: DeletedGroupResult): void => {
  e.string(r.groupId).int16(r.errorCode);
};

export const v0: VersionCodec<DeleteGroupsRequest, DeleteGroupsResponse> = {
  decodeRequest: (d) => ({ groupsNames: d.stringArray('groups_names') }),
  encodeRequest: (e, r) => {
    e.stringArray(r.groupsNames);
  },
  decodeResponse: (d) => ({ throttleTimeMs: d.int32(), results: d.array(decodeResult) }),
  encodeResponse: (e, r) => {
    e.int32(r.throttleTimeMs).array(r.results, encodeResult);
  },
};
