/**
 * Plain request and result objects of the coordinator. Field names follow the
 * wire types in broker/protocol/apis/<api>/types.ts so that a handler can pass
 * a decoded request straight in and spread a result into its response
 * (adding `throttleTimeMs`). Offsets and producer ids are bigint, as there.
 */

/** Who sent a request: what Kafka's request context gives the coordinator. */
export interface RequestContext {
  clientId: string;
  clientHost: string;
  /** The request's API version: JoinGroup v4+ requires a known member id, LeaveGroup v3+ answers per member. */
  apiVersion: number;
}

export interface GroupProtocol {
  /** Assignor name, e.g. 'RoundRobinAssigner' (kafkajs) or 'range' (librdkafka). */
  name: string;
  /** Opaque subscription metadata. */
  metadata: Buffer;
}

export interface JoinGroupRequest {
  groupId: string;
  sessionTimeoutMs: number;
  /** v0 has none: pass the session timeout (the codec does), or -1 to use it. */
  rebalanceTimeoutMs: number;
  /** '' on the first join. */
  memberId: string;
  groupInstanceId: string | null;
  protocolType: string;
  /** In the member's order of preference. */
  protocols: GroupProtocol[];
}

export interface JoinGroupResult {
  errorCode: number;
  generationId: number;
  /** v7+ of the wire; null on errors. */
  protocolType: string | null;
  protocolName: string;
  leader: string;
  memberId: string;
  /** The leader's view of the group; empty for followers. */
  members: JoinGroupMember[];
}

export interface JoinGroupMember {
  memberId: string;
  groupInstanceId: string | null;
  metadata: Buffer;
}

export interface SyncGroupRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  /** v5+: checked against the group's when given. */
  protocolType?: string | null;
  protocolName?: string | null;
  /** Sent by the leader only. */
  assignments: { memberId: string; assignment: Buffer }[];
}

export interface SyncGroupResult {
  errorCode: number;
  protocolType: string | null;
  protocolName: string | null;
  assignment: Buffer;
}

export interface HeartbeatRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
}

export interface HeartbeatResult {
  errorCode: number;
}

export interface LeaveGroupRequest {
  groupId: string;
  /** v0-2: the one member leaving. */
  memberId: string;
  /** v3+: the members leaving; for v0-2 either empty or the single member. */
  members: { memberId: string; groupInstanceId: string | null }[];
}

export interface LeaveGroupResult {
  /** For v0-2 this folds in the member's error, as Kafka's LeaveGroupResponse does. */
  errorCode: number;
  members: { memberId: string; groupInstanceId: string | null; errorCode: number }[];
}

export type GroupStateName = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

export interface DescribedGroup {
  errorCode: number;
  groupId: string;
  groupState: GroupStateName;
  protocolType: string;
  /** The assignor in use; '' unless Stable. */
  protocolData: string;
  members: DescribedGroupMember[];
  /** -2147483648: not requested. */
  authorizedOperations: number;
}

export interface DescribedGroupMember {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  memberMetadata: Buffer;
  memberAssignment: Buffer;
}

export interface ListedGroup {
  groupId: string;
  protocolType: string;
  groupState: GroupStateName;
}

export interface ListGroupsResult {
  errorCode: number;
  groups: ListedGroup[];
}

export interface DeletedGroupResult {
  groupId: string;
  errorCode: number;
}

export interface OffsetCommitRequest {
  groupId: string;
  /** -1 for a commit from outside group management (simple consumers, admin tools). */
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  /** v2-4: -1 means the broker's retention; otherwise an explicit one. */
  retentionTimeMs?: bigint;
  topics: OffsetCommitTopic[];
}

export interface OffsetCommitTopic {
  name: string;
  partitions: OffsetCommitPartition[];
}

export interface OffsetCommitPartition {
  partitionIndex: number;
  committedOffset: bigint;
  /** -1 when unknown. */
  committedLeaderEpoch: number;
  committedMetadata: string | null;
}

export interface OffsetCommitResult {
  topics: { name: string; partitions: { partitionIndex: number; errorCode: number }[] }[];
}

export interface TxnOffsetCommitRequest {
  transactionalId: string;
  groupId: string;
  producerId: bigint;
  producerEpoch: number;
  /** v3+ (KIP-447): when given, checked like a member's commit. */
  generationId?: number;
  memberId?: string;
  groupInstanceId?: string | null;
  topics: OffsetCommitTopic[];
}

export interface OffsetFetchRequest {
  groupId: string;
  /** Null means every partition with a committed offset. */
  topics: { name: string; partitionIndexes: number[] }[] | null;
  /** v7+: answer UNSTABLE_OFFSET_COMMIT where a transaction has offsets pending. */
  requireStable?: boolean;
}

export interface OffsetFetchResult {
  errorCode: number;
  topics: OffsetFetchTopic[];
}

export interface OffsetFetchTopic {
  name: string;
  partitions: OffsetFetchPartition[];
}

export interface OffsetFetchPartition {
  partitionIndex: number;
  /** -1 when nothing is committed. */
  committedOffset: bigint;
  committedLeaderEpoch: number;
  metadata: string | null;
  errorCode: number;
}
