/**
 * Produce Request (Version: 8) => same as version 3.
 *
 * Produce Response (Version: 8) => [responses] throttle_time_ms
 *   responses => name [partition_responses]
 *     name => STRING
 *     partition_responses => index error_code base_offset log_append_time_ms log_start_offset [record_errors] error_message
 *       index => INT32
 *       error_code => INT16
 *       base_offset => INT64
 *       log_append_time_ms => INT64
 *       log_start_offset => INT64
 *       record_errors => batch_index batch_index_error_message
 *         batch_index => INT32
 *         batch_index_error_message => NULLABLE_STRING
 *       error_message => NULLABLE_STRING
 *   throttle_time_ms => INT32
 */
import type { VersionCodec } from '../../api.ts';
import type { Decoder } from '../../wire/decoder.ts';
import type { Encoder } from '../../wire/encoder.ts';
import type { ProducePartitionResponse, ProduceRecordError, ProduceRequest, ProduceResponse } from './types.ts';
import { decodeRequest, encodeRequest, responseCodec } from './v3.ts';
import { decodePartitionResponseV5, encodePartitionResponseV5 } from './v5.ts';

const decodeRecordError = (d: Decoder): ProduceRecordError => ({
  batchIndex: d.int32(),
  batchIndexErrorMessage: d.nullableString(),
});

const encodeRecordError = (e: Encoder, error: ProduceRecordError): void => {
  e.int32(error.batchIndex).nullableString(error.batchIndexErrorMessage);
};

function decodePartitionResponse(d: Decoder): ProducePartitionResponse {
  const partition = decodePartitionResponseV5(d);
  partition.recordErrors = d.array(decodeRecordError);
  partition.errorMessage = d.nullableString();
  return partition;
}

function encodePartitionResponse(e: Encoder, partition: ProducePartitionResponse): void {
  encodePartitionResponseV5(e, partition);
  e.array(partition.recordErrors, encodeRecordError).nullableString(partition.errorMessage);
}

export const v8: VersionCodec<ProduceRequest, ProduceResponse> = {
  decodeRequest,
  encodeRequest,
  ...responseCodec(decodePartitionResponse, encodePartitionResponse),
};
