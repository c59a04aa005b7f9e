export interface FetchRequest {
  /** -1 for consumers. */
  replicaId: number;
  maxWaitMs: number;
  minBytes: number;
  maxBytes: number;
  /** 0 read_uncommitted, 1 read_committed. */
  isolationLevel: number;
  /** v7+: fetch session (0 = none). */
  sessionId: number;
  /** v7+: -1 = full fetch, no session. */
  sessionEpoch: number;
  topics: FetchTopic[];
  /** v7+: partitions to remove from an incremental fetch session. */
  forgottenTopicsData: FetchForgottenTopic[];
  /** v11+. */
  rackId: string;
}

export interface FetchTopic {
  topic: string;
  partitions: FetchPartition[];
}

export interface FetchPartition {
  partition: number;
  /** v9+, -1 before. */
  currentLeaderEpoch: number;
  fetchOffset: bigint;
  /** v5+, -1 before; only meaningful from followers. */
  logStartOffset: bigint;
  partitionMaxBytes: number;
}

export interface FetchForgottenTopic {
  topic: string;
  partitions: number[];
}

export interface FetchResponse {
  throttleTimeMs: number;
  /** v7+: top-level error (fetch sessions). */
  errorCode: number;
  /** v7+. */
  sessionId: number;
  responses: FetchTopicResponse[];
}

export interface FetchTopicResponse {
  topic: string;
  partitions: FetchPartitionResponse[];
}

export interface FetchPartitionResponse {
  partitionIndex: number;
  errorCode: number;
  highWatermark: bigint;
  lastStableOffset: bigint;
  /** v5+, -1 before. */
  logStartOffset: bigint;
  abortedTransactions: FetchAbortedTransaction[] | null;
  /** v11+, -1 = none. */
  preferredReadReplica: number;
  /** Record batches, opaque here (broker/records/ builds and parses them). */
  records: Buffer | null;
}

export interface FetchAbortedTransaction {
  producerId: bigint;
  firstOffset: bigint;
}
