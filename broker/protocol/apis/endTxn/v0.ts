/**
 * EndTxn Request (Version: 0) => transactional_id producer_id producer_epoch committed
 *   transactional_id => STRING
 *   producer_id => INT64
 *   producer_epoch => INT16
 *   committed => BOOLEAN
 *
 * EndTxn Response (Version: 0) => throttle_time_ms error_code
 *   throttle_time_ms => INT32
 *   error_code => INT16
 *
 * Versions 1 and 2 have the same layout.
 */
import type { VersionCodec } from '../../api.ts';
import type { EndTxnRequest, EndTxnResponse } from './types.ts';

export const v0: VersionCodec<EndTxnRequest, EndTxnResponse> = {
  decodeRequest: (d) => ({
    transactionalId: d.string('transactional_id'),
    producerId: d.int64('producer_id'),
    producerEpoch: d.int16('producer_epoch'),
    committed: d.boolean('committed'),
  }),
  encodeRequest: (e, r) => {
    e.string(r.transactionalId).int64(r.producerId).int16(r.producerEpoch).boolean(r.committed);
  },
  decodeResponse: (d) => ({ throttleTimeMs: d.int32(), errorCode: d.int16() }),
  encodeResponse: (e, r) => {
    e.int32(r.throttleTimeMs).int16(r.errorCode);
  },
};
