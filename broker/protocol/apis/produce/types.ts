export interface ProduceRequest {
  transactionalId: string | null;
  /** 0: no response at all; 1: leader only; -1: all in-sync replicas. */
  acks: number;
  timeoutMs: number;
  topics: ProduceTopicData[];
}

export interface ProduceTopicData {
  name: string;
  partitions: ProducePartitionData[];
}

export interface ProducePartitionData {
  index: number;
  /** Record batches, opaque here: a slice of the request frame (broker/records/ parses them). */
  records: Buffer | null;
}

export interface ProduceResponse {
  responses: ProduceTopicResponse[];
  throttleTimeMs: number;
}

export interface ProduceTopicResponse {
  name: string;
  partitions: ProducePartitionResponse[];
}

export interface ProducePartitionResponse {
  index: number;
  errorCode: number;
  baseOffset: bigint;
  /** -1 unless the topic uses LogAppendTime (v2+). */
  logAppendTimeMs: bigint;
  /** v5+, -1 before. */
  logStartOffset: bigint;
  /** v8+: which records made the batch be dropped. */
  recordErrors: ProduceRecordError[];
  /** v8+. */
  errorMessage: string | null;
}

export interface ProduceRecordError {
  batchIndex: number;
  batchIndexErrorMessage: string | null;
}
