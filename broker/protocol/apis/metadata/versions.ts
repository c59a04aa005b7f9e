/**
 * Metadata Request (Version: 1) => [topics]
 *   topics => name (nullable array: null = all topics)
 *     name => STRING
 * Metadata Response (Version: 1) => [brokers] controller_id [topics]
 *   brokers => node_id host port rack
 *     node_id => INT32
 *     host => STRING
 *     port => INT32
 *     rack => NULLABLE_STRING
 *   controller_id => INT32
 *   topics => error_code name is_internal [partitions]
 *     error_code => INT16
 *     name => STRING
 *     is_internal => BOOLEAN
 *     partitions => error_code partition_index leader_id [replica_nodes] [isr_nodes]
 *       error_code => INT16
 *       partition_index => INT32
 *       leader_id => INT32
 *       replica_nodes => INT32
 *       isr_nodes => INT32
 *
 * Metadata Response (Version: 2) => [brokers] cluster_id controller_id [topics]
 *   cluster_id => NULLABLE_STRING
 *
 * Metadata Response (Version: 3) => throttle_time_ms [brokers] cluster_id controller_id [topics]
 *   throttle_time_ms => INT32
 *
 * Metadata Request (Version: 4) => [topics] allow_auto_topic_creation
 *   allow_auto_topic_creation => BOOLEAN
 * Metadata Response (Version: 4) => same as version 3.
 *
 * Metadata Response (Version: 5) => (as version 4, except:)
 *     partitions => error_code partition_index leader_id [replica_nodes] [isr_nodes] [offline_replicas]
 *       offline_replicas => INT32
 *
 * Metadata Response (Version: 6) => same as version 5.
 *
 * Metadata Response (Version: 7) => (as version 6, except:)
 *     partitions => error_code partition_index leader_id leader_epoch [replica_nodes] [isr_nodes] [offline_replicas]
 *       leader_epoch => INT32
 *
 * Metadata Request (Version: 8) => [topics] allow_auto_topic_creation include_cluster_authorized_operations include_topic_authorized_operations
 *   include_cluster_authorized_operations => BOOLEAN
 *   include_topic_authorized_operations => BOOLEAN
 * Metadata Response (Version: 8) => throttle_time_ms [brokers] cluster_id controller_id [topics] cluster_authorized_operations
 *   topics => error_code name is_internal [partitions] topic_authorized_operations
 *     topic_authorized_operations => INT32
 *   cluster_authorized_operations => INT32
 */
import { metadataCodec } from './layout.ts';

export const v1 = metadataCodec(1);
export const v2 = metadataCodec(2);
export const v3 = metadataCodec(3);
export const v4 = metadataCodec(4);
export const v5 = metadataCodec(5);
export const v6 = metadataCodec(6);
export const v7 = metadataCodec(7);
export const v8 = metadataCodec(8);
