/**
 * Coordinator settings, named after the Kafka broker configs they mirror and
 * defaulting to Kafka's values.
 */

export interface GroupCoordinatorConfig {
  /** group.initial.rebalance.delay.ms: how long the first rebalance of an empty group waits for more members. */
  initialRebalanceDelayMs: number;
  /** group.min.session.timeout.ms */
  minSessionTimeoutMs: number;
  /** group.max.session.timeout.ms */
  maxSessionTimeoutMs: number;
  /** group.max.size */
  maxGroupSize: number;
  /**
   * How long a brand-new member may wait in a rebalance before it is dropped;
   * Kafka's NewMemberJoinTimeoutMs (5 minutes), which protects a rebalance from
   * clients that disconnected while their JoinGroup was parked.
   */
  newMemberJoinTimeoutMs: number;
  /** offset.metadata.max.bytes */
  offsetMetadataMaxBytes: number;
  /** offsets.retention.minutes, in ms. */
  offsetsRetentionMs: number;
  /** offsets.retention.check.interval.ms; 0 turns the periodic expiration off. */
  offsetsRetentionCheckIntervalMs: number;
}

export const DEFAULT_GROUP_COORDINATOR_CONFIG: Readonly<GroupCoordinatorConfig> = Object.freeze({
  initialRebalanceDelayMs: 3_000,
  minSessionTimeoutMs: 6_000,
  maxSessionTimeoutMs: 1_800_000,
  maxGroupSize: 2_147_483_647,
  newMemberJoinTimeoutMs: 300_000,
  offsetMetadataMaxBytes: 4_096,
  offsetsRetentionMs: 7 * 24 * 60 * 60 * 1_000,
  offsetsRetentionCheckIntervalMs: 600_000,
});
