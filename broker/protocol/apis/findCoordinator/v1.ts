/**
 * FindCoordinator Request (Version: 1) => key key_type
 *   key => STRING
 *   key_type => INT8
 *
 * FindCoordinator Response (Version: 1) => throttle_time_ms error_code error_message node_id host port
 *   throttle_time_ms => INT32
 *   error_code => INT16
 *   error_message => NULLABLE_STRING
 *   node_id => INT32
 *   host => STRING
 *   port => INT32
 *
 * Version 2 has the same layout.
 */
import type { VersionCodec } from '../../api.ts';
import type { FindCoordinatorRequest, FindCoordinatorResponse } from './types.ts';

export const v1: VersionCodec<FindCoordinatorRequest, FindCoordinatorResponse> = {
  decodeRequest: (d) => ({ key: d.string('key'), keyType: d.int8('key_type') }),
  encodeRequest: (e, r) => {
    e.string(r.key).int8(r.keyType);
  },
  decodeResponse: (d) => ({
    throttleTimeMs: d.int32(),
    errorCode: d.int16(),
    errorMessage: d.nullableString(),
    nodeId: d.int32(),
    host: d.string(),
    port: d.int32(),
  }),
  encodeResponse: (e, r) => {
    e.int32(r.throttleTimeMs)
      .int16(r.errorCode)
      .nullableString(r.errorMessage)
      .int32(r.nodeId)
      .string(r.host)
      .int32(r.port);
  },
};
