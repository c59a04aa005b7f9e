export interface ApiVersionsRequest {
  /** v3+, '' before. librdkafka sends e.g. 'librdkafka'. */
  clientSoftwareName: string;
  /** v3+, '' before. */
  clientSoftwareVersion: string;
}

export interface ApiVersionsResponse {
  errorCode: number;
  apiKeys: ApiVersionRange[];
  /** v1+, 0 before. */
  throttleTimeMs: number;
}

export interface ApiVersionRange {
  apiKey: number;
  minVersion: number;
  maxVersion: number;
}
