export interface OffsetForLeaderEpochRequest {
  topics: { topic: string; partitions: OffsetForLeaderPartition[] }[];
}

export interface OffsetForLeaderPartition {
  partition: number;
  /** v2+, -1 before: fences clients with stale metadata. */
  currentLeaderEpoch: number;
  leaderEpoch: number;
}

export interface OffsetForLeaderEpochResponse {
  /** v2+. */
  throttleTimeMs: number;
  topics: { topic: string; partitions: OffsetForLeaderPartitionResult[] }[];
}

export interface OffsetForLeaderPartitionResult {
  errorCode: number;
  partition: number;
  /** v1+, -1 before. */
  leaderEpoch: number;
  endOffset: bigint;
}
