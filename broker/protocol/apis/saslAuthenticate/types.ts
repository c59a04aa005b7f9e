export interface SaslAuthenticateRequest {
  /** The mechanism's token, e.g. for PLAIN `\0user\0password`. */
  authBytes: Buffer;
}

export interface SaslAuthenticateResponse {
  errorCode: number;
  errorMessage: string | null;
  authBytes: Buffer;
  /** v1+: 0 = the session does not expire. */
  sessionLifetimeMs: bigint;
}
