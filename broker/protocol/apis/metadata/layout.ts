/**
 * Metadata changes a little in almost every version, in the middle of nested
 * structs, so its versions share one codec parameterised by version; each
 * vN.ts file still states its grammar. The fields and the versions that have
 * them:
 *
 *   request:  topics (nullable from v1) allow_auto_topic_creation(4+)
 *             include_cluster_authorized_operations(8+) include_topic_authorized_operations(8+)
 *   response: throttle_time_ms(3+) [brokers: node_id host port rack(1+)]
 *             cluster_id(2+) controller_id(1+)
 *             [topics: error_code name is_internal(1+)
 *               [partitions: error_code partition_index leader_id leader_epoch(7+)
 *                 [replica_nodes] [isr_nodes] [offline_replicas](5+)]
 *               topic_authorized_operations(8+)]
 *             cluster_authorized_operations(8+)
 */
import type { VersionCodec } from '../../api.ts';
import type { Decoder } from '../../wire/decoder.ts';
import type { Encoder } from '../../wire/encoder.ts';
import type {
  MetadataBroker,
  MetadataPartition,
  MetadataRequest,
  MetadataRequestTopic,
  MetadataResponse,
  MetadataTopic,
} from './types.ts';

const UNSET_AUTHORIZED_OPERATIONS = -2147483648;

const decodeRequestTopic = (d: Decoder): MetadataRequestTopic => ({ name: d.string() });
const encodeRequestTopic = (e: Encoder, t: MetadataRequestTopic): void => {
  e.string(t.name);
};

/** Codec of Metadata version `v` (1 to 8). */
export function metadataCodec(v: number): VersionCodec<MetadataRequest, MetadataResponse> {
  const decodeBroker = (d: Decoder): MetadataBroker => ({
    nodeId: d.int32(),
    host: d.string(),
    port: d.int32(),
    rack: d.nullableString(),
  });
  const encodeBroker = (e: Encoder, b: MetadataBroker): void => {
    e.int32(b.nodeId).string(b.host).int32(b.port).nullableString(b.rack);
  };

  const decodePartition = (d: Decoder): MetadataPartition => ({
    errorCode: d.int16(),
    partitionIndex: d.int32(),
    leaderId: d.int32(),
    leaderEpoch: v >= 7 ? d.int32() : -1,
    replicaNodes: d.int32Array(),
    isrNodes: d.int32Array(),
    offlineReplicas: v >= 5 ? d.int32Array() : [],
  });
  const encodePartition = (e: Encoder, p: MetadataPartition): void => {
    e.int16(p.errorCode).int32(p.partitionIndex).int32(p.leaderId);
    if (v >= 7) e.int32(p.leaderEpoch);
    e.int32Array(p.replicaNodes).int32Array(p.isrNodes);
    if (v >= 5) e.int32Array(p.offlineReplicas);
  };

  const decodeTopic = (d: Decoder): MetadataTopic => ({
    errorCode: d.int16(),
    name: d.string(),
    isInternal: d.boolean(),
    partitions: d.array(decodePartition),
    topicAuthorizedOperations: v >= 8 ? d.int32() : UNSET_AUTHORIZED_OPERATIONS,
  });
  const encodeTopic = (e: Encoder, t: MetadataTopic): void => {
    e.int16(t.errorCode).string(t.name).boolean(t.isInternal).array(t.partitions, encodePartition);
    if (v >= 8) e.int32(t.topicAuthorizedOperations);
  };

  return {
    decodeRequest: (d) => ({
      topics: d.nullableArray(decodeRequestTopic, 'topics'),
      allowAutoTopicCreation: v >= 4 ? d.boolean('allow_auto_topic_creation') : true,
      includeClusterAuthorizedOperations: v >= 8 ? d.boolean('include_cluster_authorized_operations') : false,
      includeTopicAuthorizedOperations: v >= 8 ? d.boolean('include_topic_authorized_operations') : false,
    }),
    encodeRequest: (e, r) => {
      e.nullableArray(r.topics, encodeRequestTopic);
      if (v >= 4) e.boolean(r.allowAutoTopicCreation);
      if (v >= 8) e.boolean(r.includeClusterAuthorizedOperations).boolean(r.includeTopicAuthorizedOperations);
    },
    decodeResponse: (d) => ({
      throttleTimeMs: v >= 3 ? d.int32() : 0,
      brokers: d.array(decodeBroker),
      clusterId: v >= 2 ? d.nullableString() : null,
      controllerId: d.int32(),
      topics: d.array(decodeTopic),
      clusterAuthorizedOperations: v >= 8 ? d.int32() : UNSET_AUTHORIZED_OPERATIONS,
    }),
    encodeResponse: (e, r) => {
      if (v >= 3) e.int32(r.throttleTimeMs);
      e.array(r.brokers, encodeBroker);
      if (v >= 2) e.nullableString(r.clusterId);
      e.int32(r.controllerId).array(r.topics, encodeTopic);
      if (v >= 8) e.int32(r.clusterAuthorizedOperations);
    },
  };
}
