export interface SyncGroupRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  /** v3+. */
  groupInstanceId: string | null;
  /** Sent by the leader only. */
  assignments: SyncGroupAssignment[];
}

export interface SyncGroupAssignment {
  memberId: string;
  /** Opaque, protocol-specific (consumer MemberAssignment). */
  assignment: Buffer;
}

export interface SyncGroupResponse {
  /** v1+. */
  throttleTimeMs: number;
  errorCode: number;
  assignment: Buffer;
}
