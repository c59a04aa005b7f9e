export interface HeartbeatRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  /** v3+: static membership. */
  groupInstanceId: string | null;
}

export interface HeartbeatResponse {
  /** v1+. */
  throttleTimeMs: number;
  errorCode: number;
}
