export interface OffsetCommitRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  /** v7+. */
  groupInstanceId: string | null;
  /** v2-4 only, -1 = broker default. */
  retentionTimeMs: bigint;
  topics: OffsetCommitTopic[];
}

export interface OffsetCommitTopic {
  name: string;
  partitions: OffsetCommitPartition[];
}

export interface OffsetCommitPartition {
  partitionIndex: number;
  committedOffset: bigint;
  /** v6+, -1 before. */
  committedLeaderEpoch: number;
  committedMetadata: string | null;
}

export interface OffsetCommitResponse {
  /** v3+. */
  throttleTimeMs: number;
  topics: OffsetCommitTopicResponse[];
}

export interface OffsetCommitTopicResponse {
  name: string;
  partitions: { partitionIndex: number; errorCode: number }[];
}
