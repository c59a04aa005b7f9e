export interface ListOffsetsRequest {
  replicaId: number;
  /** v2+: 0 read_uncommitted, 1 read_committed. */
  isolationLevel: number;
  topics: ListOffsetsTopic[];
}

export interface ListOffsetsTopic {
  name: string;
  partitions: ListOffsetsPartition[];
}

export interface ListOffsetsPartition {
  partitionIndex: number;
  /** v4+, -1 before. */
  currentLeaderEpoch: number;
  /** -1 latest, -2 earliest, otherwise a timestamp in ms. */
  timestamp: bigint;
}

export interface ListOffsetsResponse {
  /** v2+. */
  throttleTimeMs: number;
  topics: ListOffsetsTopicResponse[];
}

export interface ListOffsetsTopicResponse {
  name: string;
  partitions: ListOffsetsPartitionResponse[];
}

export interface ListOffsetsPartitionResponse {
  partitionIndex: number;
  errorCode: number;
  timestamp: bigint;
  offset: bigint;
  /** v4+, -1 before. */
  leaderEpoch: number;
}
