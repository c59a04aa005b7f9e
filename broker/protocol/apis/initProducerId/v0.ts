/**
 * InitProducerId Request (Version: 0) => transactional_id transaction_timeout_ms
 *   transactional_id => NULLABLE_STRING
 *   transaction_timeout_ms => INT32
 *
 * InitProducerId Response (Version: 0) => throttle_time_ms error_code producer_id producer_epoch
 *   throttle_time_ms => INT32
 *   error_code => INT16
 *   producer_id => INT64
 *   producer_epoch => INT16
 *
 * Version 1 has the same layout.
 */
import type { VersionCodec } from '../../api.ts';
import type { InitProducerIdRequest, InitProducerIdResponse } from './types.ts';

export const v0: VersionCodec<InitProducerIdRequest, InitProducerIdResponse> = {
  decodeRequest: (d) => ({
    transactionalId: d.nullableString('transactional_id'),
    transactionTimeoutMs: d.int32('transaction_timeout_ms'),
  }),
  encodeRequest: (e, r) => {
    e.nullableString(r.transactionalId).int32(r.transactionTimeoutMs);
  },
  decodeResponse: (d) => ({
    throttleTimeMs: d.int32(),
    errorCode: d.int16(),
    producerId: d.int64(),
    producerEpoch: d.int16(),
  }),
  encodeResponse: (e, r) => {
    e.int32(r.throttleTimeMs).int16(r.errorCode).int64(r.producerId).int16(r.producerEpoch);
  },
};
