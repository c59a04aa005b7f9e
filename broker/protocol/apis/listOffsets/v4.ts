/**
 * ListOffsets Request (Version: 4) => replica_id isolation_level [topics]
 *   (as version 2, except:)
 *     partitions => partition_index current_leader_epoch timestamp
 *       partition_index => INT32
 *       current_leader_epoch => INT32
 *       timestamp => INT64
 *
 * ListOffsets Response (Version: 4) => throttle_time_ms [topics]
 *   (as version 2, except:)
 *     partitions => partition_index error_code timestamp offset leader_epoch
 *       leader_epoch => INT32
 *
 * Version 5 has the same layout (it adds the OFFSET_NOT_AVAILABLE error).
 */
import type { ListOffsetsPartition, ListOffsetsPartitionResponse } from './types.ts';
import { topicCodec } from './v1.ts';
import { codecV2 } from './v2.ts';

const requestTopic = topicCodec<ListOffsetsPartition>(
  (d) => ({ partitionIndex: d.int32(), currentLeaderEpoch: d.int32(), timestamp: d.int64() }),
  (e, p) => {
    e.int32(p.partitionIndex).int32(p.currentLeaderEpoch).int64(p.timestamp);
  },
);

const responseTopic = topicCodec<ListOffsetsPartitionResponse>(
  (d) => ({
    partitionIndex: d.int32(),
    errorCode: d.int16(),
    timestamp: d.int64(),
    offset: d.int64(),
    leaderEpoch: d.int32(),
  }),
  (e, p) => {
    e.int32(p.partitionIndex).int16(p.errorCode).int64(p.timestamp).int64(p.offset).int32(p.leaderEpoch);
  },
);

export const v4 = codecV2(requestTopic, responseTopic);
