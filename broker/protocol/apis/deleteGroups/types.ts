export interface DeleteGroupsRequest {
  groupsNames: string[];
}

export interface DeleteGroupsResponse {
  throttleTimeMs: number;
  results: DeletedGroupResult[];
}

export interface DeletedGroupResult {
  groupId: string;
  errorCode: number;
}
