export interface CreateTopicsRequest {
  topics: CreatableTopic[];
  timeoutMs: number;
  /** v1+. */
  validateOnly: boolean;
}

export interface CreatableTopic {
  name: string;
  /** -1 = broker default (when assignments are given). */
  numPartitions: number;
  replicationFactor: number;
  assignments: CreatableReplicaAssignment[];
  configs: CreatableTopicConfig[];
}

export interface CreatableReplicaAssignment {
  partitionIndex: number;
  brokerIds: number[];
}

export interface CreatableTopicConfig {
  name: string;
  value: string | null;
}

export interface CreateTopicsResponse {
  /** v2+. */
  throttleTimeMs: number;
  topics: CreatableTopicResult[];
}

export interface CreatableTopicResult {
  name: string;
  errorCode: number;
  /** v1+. */
  errorMessage: string | null;
}
