export interface SaslHandshakeRequest {
  /** e.g. 'PLAIN'. */
  mechanism: string;
}

export interface SaslHandshakeResponse {
  errorCode: number;
  /** The mechanisms the broker enables. */
  mechanisms: string[];
}
