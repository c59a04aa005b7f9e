/**
 * Fetch Request (Version: 9) => (as version 7, except:)
 *     partitions => partition current_leader_epoch fetch_offset log_start_offset partition_max_bytes
 *       partition => INT32
 *       current_leader_epoch => INT32
 *       fetch_offset => INT64
 *       log_start_offset => INT64
 *       partition_max_bytes => INT32
 *
 * Fetch Response (Version: 9) => same as version 7.
 *
 * Version 10 has the same layout (it only allows zstd).
 */
import type { VersionCodec } from '../../api.ts';
import type { Decoder } from '../../wire/decoder.ts';
import type { Encoder } from '../../wire/encoder.ts';
import type { FetchPartition, FetchRequest, FetchResponse } from './types.ts';
import { topicsCodec } from './v4.ts';
import { responsesV5 } from './v5.ts';
import { requestCodecV7, responseCodecV7 } from './v7.ts';

const decodePartition = (d: Decoder): FetchPartition => ({
  partition: d.int32(),
  currentLeaderEpoch: d.int32(),
  fetchOffset: d.int64(),
  logStartOffset: d.int64(),
  partitionMaxBytes: d.int32(),
});

const encodePartition = (e: Encoder, p: FetchPartition): void => {
  e.int32(p.partition)
    .int32(p.currentLeaderEpoch)
    .int64(p.fetchOffset)
    .int64(p.logStartOffset)
    .int32(p.partitionMaxBytes);
};

export const requestV9 = requestCodecV7(topicsCodec(decodePartition, encodePartition));

export const v9: VersionCodec<FetchRequest, FetchResponse> = {
  ...requestV9,
  ...responseCodecV7(responsesV5),
};
