export interface MetadataRequest {
  /** Null means all topics. */
  topics: MetadataRequestTopic[] | null;
  /** v4+, true before. */
  allowAutoTopicCreation: boolean;
  /** v8+. */
  includeClusterAuthorizedOperations: boolean;
  /** v8+. */
  includeTopicAuthorizedOperations: boolean;
}

export interface MetadataRequestTopic {
  name: string;
}

export interface MetadataResponse {
  /** v3+. */
  throttleTimeMs: number;
  brokers: MetadataBroker[];
  /** v2+. */
  clusterId: string | null;
  /** v1+, -1 when unknown. */
  controllerId: number;
  topics: MetadataTopic[];
  /** v8+. */
  clusterAuthorizedOperations: number;
}

export interface MetadataBroker {
  nodeId: number;
  host: string;
  port: number;
  rack: string | null;
}

export interface MetadataTopic {
  errorCode: number;
  name: string;
  isInternal: boolean;
  partitions: MetadataPartition[];
  /** v8+. */
  topicAuthorizedOperations: number;
}

export interface MetadataPartition {
  errorCode: number;
  partitionIndex: number;
  leaderId: number;
  /** v7+, -1 before. */
  leaderEpoch: number;
  replicaNodes: number[];
  isrNodes: number[];
  /** v5+. */
  offlineReplicas: number[];
}
