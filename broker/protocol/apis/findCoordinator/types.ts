export interface FindCoordinatorRequest {
  /** Group id (key type 0) or transactional id (key type 1). */
  key: string;
  /** v1+: 0 group, 1 transaction; 0 before. */
  keyType: number;
}

export interface FindCoordinatorResponse {
  /** v1+. */
  throttleTimeMs: number;
  errorCode: number;
  /** v1+. */
  errorMessage: string | null;
  nodeId: number;
  host: string;
  port: number;
}
