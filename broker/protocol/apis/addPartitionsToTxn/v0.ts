/**
 * AddPartitionsToTxn Request (Version: 0) => transactional_id producer_id producer_epoch [topics]
 *   transactional_id => STRING
 *   producer_id => INT64
 *   producer_epoch => INT16
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => INT32
 *
 * AddPartitionsToTxn Response (Version: 0) => throttle_time_ms [results]
 *   throttle_time_ms => INT32
 *   results => name [results]
 *     name => STRING
 *     results => partition_index error_code
 *       partition_index => INT32
 *       error_code => INT16
 *
 * Versions 1 and 2 have the same layout.
 */
import type { VersionCodec } from '../../api.ts';
import type { AddPartitionsToTxnRequest, AddPartitionsToTxnResponse } from './types.ts';

export const v0: VersionCodec<AddPartitionsToTxnRequest, AddPartitionsToTxnResponse> = {
  decodeRequest: (d) => ({
    transactionalId: d.string('transactional_id'),
    producerId: d.int64('producer_id'),
    producerEpoch: d.int16('producer_epoch'),
    topics: d.array((t) => ({ name: t.string(), partitions: t.int32Array() }), 'topics'),
  }),
  encodeRequest: (e, r) => {
    e.string(r.transactionalId).int64(r.producerId).int16(r.producerEpoch);
    e.array(r.topics, (t, topic) => {
      t.string(topic.name).int32Array(topic.partitions);
    });
  },
  decodeResponse: (d) => ({
    throttleTimeMs: d.int32(),
    results: d.array((t) => ({
      name: t.string(),
      results: t.array((p) => ({ partitionIndex: p.int32(), errorCode: p.int16() })),
    })),
  }),
  encodeResponse: (e, r) => {
    e.int32(r.throttleTimeMs).array(r.results, (t, topic) => {
      t.string(topic.name).array(topic.results, (p, partition) => {
        p.int32(partition.partitionIndex).int16(partition.errorCode);
      });
    });
  },
};
