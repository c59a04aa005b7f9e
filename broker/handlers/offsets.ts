/** ListOffsets, OffsetForLeaderEpoch and DeleteRecords: positions in a partition's log. */
import {
  type DeleteRecordsRequest,
  type DeleteRecordsResponse,
  ERROR_CODES,
  type ListOffsetsPartitionResponse,
  type ListOffsetsRequest,
  type ListOffsetsResponse,
  type OffsetForLeaderEpochRequest,
  type OffsetForLeaderEpochResponse,
} from '../protocol/index.ts';
import { READ_COMMITTED } from '../topics/partition.ts';
import type { BrokerContext } from './context.ts';

const LATEST = -1n;
const EARLIEST = -2n;

export async function listOffsets(context: BrokerContext, request: ListOffsetsRequest): Promise<ListOffsetsResponse> {
  const topics = await Promise.all(
    request.topics.map(async (topic) => ({
      name: topic.name,
      partitions: await Promise.all(
        topic.partitions.map(async ({ partitionIndex, timestamp }): Promise<ListOffsetsPartitionResponse> => {
          const answer = (offset: number, at = -1, errorCode = 0) => ({
            partitionIndex,
            errorCode,
            timestamp: BigInt(at),
            offset: BigInt(offset),
            leaderEpoch: errorCode === 0 ? 0 : -1,
          });
          const partition = context.topics.partition(topic.name, partitionIndex);
          if (!partition) return answer(-1, -1, ERROR_CODES.UNKNOWN_TOPIC_OR_PARTITION);
          const log = partition.log;
          if (timestamp === EARLIEST) return answer(log.logStartOffset);
          if (timestamp === LATEST) {
            // A read_committed consumer starting at "latest" starts at the last stable offset.
            return answer(request.isolationLevel === READ_COMMITTED ? log.lastStableOffset : partition.highWatermark);
          }
          if (timestamp < 0n) return answer(-1, -1, ERROR_CODES.UNSUPPORTED_VERSION);
          const found = await log.offsetForTimestamp(Number(timestamp));
          return found ? answer(found.offset, found.timestamp) : answer(-1, -1);
        }),
      ),
    })),
  );
  return { throttleTimeMs: 0, topics };
}

/** One leader epoch (0) for the life of the log: its end offset is the log end offset. */
export function offsetForLeaderEpoch(
  context: BrokerContext,
  request: OffsetForLeaderEpochRequest,
): OffsetForLeaderEpochResponse {
  return {
    throttleTimeMs: 0,
    topics: request.topics.map((topic) => ({
      topic: topic.topic,
      partitions: topic.partitions.map(({ partition: index, leaderEpoch }) => {
        const partition = context.topics.partition(topic.topic, index);
        if (!partition)
          return {
            errorCode: ERROR_CODES.UNKNOWN_TOPIC_OR_PARTITION,
            partition: index,
            leaderEpoch: -1,
            endOffset: -1n,
          };
        if (leaderEpoch > 0) return { errorCode: 0, partition: index, leaderEpoch: -1, endOffset: -1n };
        return { errorCode: 0, partition: index, leaderEpoch: 0, endOffset: BigInt(partition.log.logEndOffset) };
      }),
    })),
  };
}

export async function deleteRecords(
  context: BrokerContext,
  request: DeleteRecordsRequest,
): Promise<DeleteRecordsResponse> {
  const topics = await Promise.all(
    request.topics.map(async (topic) => ({
      name: topic.name,
      partitions: await Promise.all(
        topic.partitions.map(async ({ partitionIndex, offset }) => {
          const partition = context.topics.partition(topic.name, partitionIndex);
          if (!partition)
            return { partitionIndex, lowWatermark: -1n, errorCode: ERROR_CODES.UNKNOWN_TOPIC_OR_PARTITION };
          // -1 means "up to the high watermark".
          const target = offset === -1n ? partition.highWatermark : Number(offset);
          if (target < 0 || target > partition.highWatermark) {
            return { partitionIndex, lowWatermark: -1n, errorCode: ERROR_CODES.OFFSET_OUT_OF_RANGE };
          }
          const lowWatermark = await partition.log.deleteRecordsBefore(target);
          return { partitionIndex, lowWatermark: BigInt(lowWatermark), errorCode: 0 };
        }),
      ),
    })),
  );
  return { throttleTimeMs: 0, topics };
}
