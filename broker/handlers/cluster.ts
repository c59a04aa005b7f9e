/** ApiVersions, Metadata and FindCoordinator: how clients learn what the broker is and serves. */
import {
  type ApiVersionsResponse,
  ERROR_CODES,
  type FindCoordinatorRequest,
  type FindCoordinatorResponse,
  type MetadataRequest,
  type MetadataResponse,
  type MetadataTopic,
  SUPPORTED_APIS,
} from '../protocol/index.ts';
import { type Topic, TopicError } from '../topics/topic-manager.ts';
import type { BrokerContext } from './context.ts';

export function apiVersions(): ApiVersionsResponse {
  return { errorCode: 0, apiKeys: [...SUPPORTED_APIS], throttleTimeMs: 0 };
}

export async function metadata(context: BrokerContext, request: MetadataRequest): Promise<MetadataResponse> {
  const { identity, topics } = context;
  const describe = (topic: Topic): MetadataTopic => ({
    errorCode: 0,
    name: topic.record.name,
    isInternal: topic.isInternal,
    partitions: topic.partitions.map((p) => ({
      errorCode: 0,
      partitionIndex: p.index,
      leaderId: identity.nodeId,
      leaderEpoch: 0,
      replicaNodes: [identity.nodeId],
      isrNodes: [identity.nodeId],
      offlineReplicas: [],
    })),
    topicAuthorizedOperations: -2147483648,
  });
  const missing = (name: string, errorCode: number): MetadataTopic => ({
    errorCode,
    name,
    isInternal: false,
    partitions: [],
    topicAuthorizedOperations: -2147483648,
  });

  let described: MetadataTopic[];
  if (request.topics === null) {
    described = topics.list().map(describe);
  } else {
    described = [];
    for (const { name } of request.topics) {
      let topic = topics.get(name);
      if (!topic && request.allowAutoTopicCreation && context.autoCreateTopics) {
        try {
          topic = await topics.create(name, { partitions: -1, replicationFactor: -1, configs: {} });
        } catch (error) {
          if (!(error instanceof TopicError)) throw error;
          // Created meanwhile by another request: describe that one.
          topic = topics.get(name);
          if (!topic) {
            described.push(missing(name, error.errorCode));
            continue;
          }
        }
      }
      described.push(topic ? describe(topic) : missing(name, ERROR_CODES.UNKNOWN_TOPIC_OR_PARTITION));
    }
  }
  return {
    throttleTimeMs: 0,
    brokers: [{ nodeId: identity.nodeId, host: identity.host, port: identity.port, rack: null }],
    clusterId: identity.clusterId,
    controllerId: identity.nodeId,
    topics: described,
    clusterAuthorizedOperations: -2147483648,
  };
}

/** One node coordinates every group and every transactional id. */
export function findCoordinator(context: BrokerContext, request: FindCoordinatorRequest): FindCoordinatorResponse {
  const { nodeId, host, port } = context.identity;
  if (request.keyType !== 0 && request.keyType !== 1) {
    return {
      throttleTimeMs: 0,
      errorCode: ERROR_CODES.INVALID_REQUEST,
      errorMessage: `Unknown key type ${request.keyType}`,
      nodeId: -1,
      host: '',
      port: -1,
    };
  }
  return { throttleTimeMs: 0, errorCode: 0, errorMessage: null, nodeId, host, port };
}
