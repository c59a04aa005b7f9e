/**
 * Produce Request (Version: 5) => same as version 3.
 *
 * Produce Response (Version: 5) => [responses] throttle_time_ms
 *   responses => name [partition_responses]
 *     name => STRING
 *     partition_responses => index error_code base_offset log_append_time_ms log_start_offset
 *       index => INT32
 *       error_code => INT16
 *       base_offset => INT64
 *       log_append_time_ms => INT64
 *       log_start_offset => INT64
 *   throttle_time_ms => INT32
 *
 * Versions 6 and 7 have the same layout.
 */
import type { VersionCodec } from '../../api.ts';
import type { Decoder } from '../../wire/decoder.ts';
import type { Encoder } from '../../wire/encoder.ts';
import type { ProducePartitionResponse, ProduceRequest, ProduceResponse } from './types.ts';
import {
  decodePartitionResponseV3,
  decodeRequest,
  encodePartitionResponseV3,
  encodeRequest,
  responseCodec,
} from './v3.ts';

export function decodePartitionResponseV5(d: Decoder): ProducePartitionResponse {
  const partition = decodePartitionResponseV3(d);
  partition.logStartOffset = d.int64();
  return partition;
}

export function encodePartitionResponseV5(e: Encoder, partition: ProducePartitionResponse): void {
  encodePartitionResponseV3(e, partition);
  e.int64(partition.logStartOffset);
}

export const v5: VersionCodec<ProduceRequest, ProduceResponse> = {
  decodeRequest,
  encodeRequest,
  ...responseCodec(decodePartitionResponseV5, encodePartitionResponseV5),
};
