export interface DescribeConfigsRequest {
  resources: DescribeConfigsResource[];
  /** v1+. */
  includeSynonyms: boolean;
  /** v3+. */
  includeDocumentation: boolean;
}

export interface DescribeConfigsResource {
  /** 2 topic, 4 broker. */
  resourceType: number;
  resourceName: string;
  /** Null = all keys. */
  configurationKeys: string[] | null;
}

export interface DescribeConfigsResponse {
  throttleTimeMs: number;
  results: DescribeConfigsResult[];
}

export interface DescribeConfigsResult {
  errorCode: number;
  errorMessage: string | null;
  resourceType: number;
  resourceName: string;
  configs: DescribeConfigsEntry[];
}

export interface DescribeConfigsEntry {
  name: string;
  value: string | null;
  readOnly: boolean;
  /** v0 only; from v1 on, see configSource. */
  isDefault: boolean;
  /** v1+, -1 in v0. */
  configSource: number;
  isSensitive: boolean;
  /** v1+. */
  synonyms: DescribeConfigsSynonym[];
  /** v3+, 0 (unknown) before. */
  configType: number;
  /** v3+. */
  documentation: string | null;
}

export interface DescribeConfigsSynonym {
  name: string;
  value: string | null;
  source: number;
}
