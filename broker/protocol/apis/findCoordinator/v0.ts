/**
 * FindCoordinator Request (Version: 0) => key
 *   key => STRING
 *
 * FindCoordinator Response (Version: 0) => error_code node_id host port
 *   error_code => INT16
 *   node_id => INT32
 *   host => STRING
 *   port => INT32
 */
import type { VersionCodec } from '../../api.ts';
import type { FindCoordinatorRequest, FindCoordinatorResponse } from './types.ts';

export const v0: VersionCodec<FindCoordinatorRequest, FindCoordinatorResponse> = {
  decodeRequest: (d) => ({ key: d.string('key'), keyType: 0 }),
  encodeRequest: (e, r) => {
    e.string(r.key);
  },
  decodeResponse: (d) => ({
    throttleTimeMs: 0,
    errorCode: d.int16(),
    errorMessage: null,
    nodeId: d.int32(),
    host: d.string(),
    port: d.int32(),
  }),
  encodeResponse: (e, r) => {
    e.int16(r.errorCode).int32(r.nodeId).string(r.host).int32(r.port);
  },
};
