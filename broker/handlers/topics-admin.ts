/** CreateTopics, DeleteTopics, CreatePartitions and DescribeConfigs. */
import {
  type CreatePartitionsRequest,
  type CreatePartitionsResponse,
  type CreateTopicsRequest,
  type CreateTopicsResponse,
  type DeleteTopicsRequest,
  type DeleteTopicsResponse,
  type DescribeConfigsEntry,
  type DescribeConfigsRequest,
  type DescribeConfigsResponse,
  ERROR_CODES,
} from '../protocol/index.ts';
import { TopicError } from '../topics/topic-manager.ts';
import type { BrokerContext } from './context.ts';

/** Runs a topic operation, turning a refusal into its error code and message. */
async function outcome(operation: () => Promise<unknown>): Promise<{ errorCode: number; errorMessage: string | null }> {
  try {
    await operation();
    return { errorCode: 0, errorMessage: null };
  } catch (error) {
    if (error instanceof TopicError) return { errorCode: error.errorCode, errorMessage: error.message };
    throw error;
  }
}

export async function createTopics(
  context: BrokerContext,
  request: CreateTopicsRequest,
): Promise<CreateTopicsResponse> {
  const topics = [];
  for (const topic of request.topics) {
    const configs = Object.fromEntries(
      topic.configs.filter((c): c is { name: string; value: string } => c.value !== null).map((c) => [c.name, c.value]),
    );
    const result = await outcome(() =>
      topic.assignments.length > 0
        ? Promise.reject(
            new TopicError(
              ERROR_CODES.INVALID_REQUEST,
              'Manual replica assignment is not supported by a one-node broker.',
            ),
          )
        : context.topics.create(topic.name, {
            partitions: topic.numPartitions,
            replicationFactor: topic.replicationFactor,
            configs,
            validateOnly: request.validateOnly,
          }),
    );
    topics.push({ name: topic.name, ...result });
  }
  return { throttleTimeMs: 0, topics };
}

export async function deleteTopics(
  context: BrokerContext,
  request: DeleteTopicsRequest,
): Promise<DeleteTopicsResponse> {
  const responses = [];
  for (const name of request.topicNames) {
    const { errorCode } = await outcome(() => context.topics.delete(name));
    responses.push({ name, errorCode });
  }
  return { throttleTimeMs: 0, responses };
}

export async function createPartitions(
  context: BrokerContext,
  request: CreatePartitionsRequest,
): Promise<CreatePartitionsResponse> {
  const results = [];
  for (const topic of request.topics) {
    results.push({
      name: topic.name,
      ...(await outcome(() => context.topics.createPartitions(topic.name, topic.count, request.validateOnly))),
    });
  }
  return { throttleTimeMs: 0, results };
}

const RESOURCE_TOPIC = 2;
const RESOURCE_BROKER = 4;
/** DescribeConfigs config sources: TOPIC_CONFIG (1), DEFAULT_CONFIG (5). */
const SOURCE_TOPIC = 1;
const SOURCE_DEFAULT = 5;

export function describeConfigs(context: BrokerContext, request: DescribeConfigsRequest): DescribeConfigsResponse {
  return {
    throttleTimeMs: 0,
    results: request.resources.map((resource) => {
      const base = { resourceType: resource.resourceType, resourceName: resource.resourceName };
      if (resource.resourceType === RESOURCE_BROKER) {
        // Clients ask for broker configs to learn defaults; a one-node broker has none beyond the topic defaults.
        return { ...base, errorCode: 0, errorMessage: null, configs: [] };
      }
      if (resource.resourceType !== RESOURCE_TOPIC) {
        return {
          ...base,
          errorCode: ERROR_CODES.INVALID_REQUEST,
          errorMessage: `Unsupported resource type ${resource.resourceType}`,
          configs: [],
        };
      }
      try {
        const wanted = resource.configurationKeys ? new Set(resource.configurationKeys) : undefined;
        const configs: DescribeConfigsEntry[] = context.topics
          .describeConfigs(resource.resourceName)
          .filter((entry) => !wanted || wanted.has(entry.name))
          .map((entry) => ({
            name: entry.name,
            value: entry.value,
            readOnly: false,
            isDefault: entry.isDefault,
            configSource: entry.isDefault ? SOURCE_DEFAULT : SOURCE_TOPIC,
            isSensitive: false,
            synonyms: [],
            configType: 0,
            documentation: null,
          }));
        return { ...base, errorCode: 0, errorMessage: null, configs };
      } catch (error) {
        if (!(error instanceof TopicError)) throw error;
        return { ...base, errorCode: error.errorCode, errorMessage: error.message, configs: [] };
      }
    }),
  };
}
