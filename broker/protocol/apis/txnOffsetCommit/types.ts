export interface TxnOffsetCommitRequest {
  transactionalId: string;
  groupId: string;
  producerId: bigint;
  producerEpoch: number;
  topics: { name: string; partitions: TxnOffsetCommitPartition[] }[];
}

export interface TxnOffsetCommitPartition {
  partitionIndex: number;
  committedOffset: bigint;
  /** v2+, -1 before. */
  committedLeaderEpoch: number;
  committedMetadata: string | null;
}

export interface TxnOffsetCommitResponse {
  throttleTimeMs: number;
  topics: { name: string; partitions: { partitionIndex: number; errorCode: number }[] }[];
}
