export interface LeaveGroupRequest {
  groupId: string;
  /** v0-2: the one member leaving; v3+ use `members`. Decoding v0-2 also fills `members` with it. */
  memberId: string;
  /** v3+: batch leave (static members); for v0-2 the single member. */
  members: LeaveGroupMember[];
}

export interface LeaveGroupMember {
  memberId: string;
  groupInstanceId: string | null;
}

export interface LeaveGroupResponse {
  /** v1+. */
  throttleTimeMs: number;
  errorCode: number;
  /** v3+. */
  members: LeaveGroupMemberResponse[];
}

export interface LeaveGroupMemberResponse {
  memberId: string;
  groupInstanceId: string | null;
  errorCode: number;
}
