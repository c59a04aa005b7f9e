export interface OffsetFetchRequest {
  groupId: string;
  /** Null (v2+) means all topics with committed offsets. */
  topics: OffsetFetchRequestTopic[] | null;
}

export interface OffsetFetchRequestTopic {
  name: string;
  partitionIndexes: number[];
}

export interface OffsetFetchResponse {
  /** v3+. */
  throttleTimeMs: number;
  topics: OffsetFetchResponseTopic[];
  /** v2+: group-level error. */
  errorCode: number;
}

export interface OffsetFetchResponseTopic {
  name: string;
  partitions: OffsetFetchResponsePartition[];
}

export interface OffsetFetchResponsePartition {
  partitionIndex: number;
  /** -1 when nothing is committed. */
  committedOffset: bigint;
  /** v5+, -1 before. */
  committedLeaderEpoch: number;
  metadata: string | null;
  errorCode: number;
}
