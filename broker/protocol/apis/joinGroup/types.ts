export interface JoinGroupRequest {
  groupId: string;
  sessionTimeoutMs: number;
  /** v1+; v0 uses the session timeout. */
  rebalanceTimeoutMs: number;
  /** '' on the first join. */
  memberId: string;
  /** v5+: static membership. */
  groupInstanceId: string | null;
  protocolType: string;
  protocols: JoinGroupProtocol[];
}

export interface JoinGroupProtocol {
  /** Assignor name, e.g. 'RoundRobinAssigner' (kafkajs) or 'range' (librdkafka). */
  name: string;
  /** Opaque subscription metadata. */
  metadata: Buffer;
}

export interface JoinGroupResponse {
  /** v2+. */
  throttleTimeMs: number;
  errorCode: number;
  generationId: number;
  protocolName: string;
  leader: string;
  memberId: string;
  /** Filled for the leader only. */
  members: JoinGroupMember[];
}

export interface JoinGroupMember {
  memberId: string;
  /** v5+. */
  groupInstanceId: string | null;
  metadata: Buffer;
}
