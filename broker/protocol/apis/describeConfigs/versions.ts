/**
 * DescribeConfigs Request (Version: 0) => [resources]
 *   resources => resource_type resource_name [configuration_keys]
 *     resource_type => INT8
 *     resource_name => STRING
 *     configuration_keys => STRING (nullable array: null = all)
 * DescribeConfigs Response (Version: 0) => throttle_time_ms [results]
 *   throttle_time_ms => INT32
 *   results => error_code error_message resource_type resource_name [configs]
 *     error_code => INT16
 *     error_message => NULLABLE_STRING
 *     resource_type => INT8
 *     resource_name => STRING
 *     configs => name value read_only is_default is_sensitive
 *       name => STRING
 *       value => NULLABLE_STRING
 *       read_only => BOOLEAN
 *       is_default => BOOLEAN
 *       is_sensitive => BOOLEAN
 *
 * DescribeConfigs Request (Version: 1) => [resources] include_synonyms
 *   include_synonyms => BOOLEAN
 * DescribeConfigs Response (Version: 1) => (as version 0, except:)
 *     configs => name value read_only config_source is_sensitive [synonyms]
 *       config_source => INT8
 *       synonyms => name value source
 *         name => STRING
 *         value => NULLABLE_STRING
 *         source => INT8
 *
 * Version 2 is the same as version 1.
 *
 * DescribeConfigs Request (Version: 3) => [resources] include_synonyms include_documentation
 *   include_documentation => BOOLEAN
 * DescribeConfigs Response (Version: 3) => (as version 1, except:)
 *     configs => name value read_only config_source is_sensitive [synonyms] config_type documentation
 *       config_type => INT8
 *       documentation => NULLABLE_STRING
 */
import type { VersionCodec } from '../../api.ts';
import type { Decoder } from '../../wire/decoder.ts';
import type { Encoder } from '../../wire/encoder.ts';
import type {
  DescribeConfigsEntry,
  DescribeConfigsRequest,
  DescribeConfigsResource,
  DescribeConfigsResponse,
  DescribeConfigsResult,
  DescribeConfigsSynonym,
} from './types.ts';

const decodeResource = (d: Decoder): DescribeConfigsResource => ({
  resourceType: d.int8(),
  resourceName: d.string(),
  configurationKeys: d.nullableArray((k) => k.string()),
});
const encodeResource = (e: Encoder, r: DescribeConfigsResource): void => {
  e.int8(r.resourceType)
    .string(r.resourceName)
    .nullableArray(r.configurationKeys, (k, key) => {
      k.string(key);
    });
};
const decodeSynonym = (d: Decoder): DescribeConfigsSynonym => ({
  name: d.string(),
  value: d.nullableString(),
  source: d.int8(),
});
const encodeSynonym = (e: Encoder, s: DescribeConfigsSynonym): void => {
  e.string(s.name).nullableString(s.value).int8(s.source);
};

function describeConfigsCodec(v: number): VersionCodec<DescribeConfigsRequest, DescribeConfigsResponse> {
  const decodeEntry = (d: Decoder): DescribeConfigsEntry => {
    const name = d.string();
    const value = d.nullableString();
    const readOnly = d.boolean();
    const isDefault = v === 0 ? d.boolean() : false;
    const configSource = v >= 1 ? d.int8() : -1;
    const isSensitive = d.boolean();
    const synonyms = v >= 1 ? d.array(decodeSynonym) : [];
    const configType = v >= 3 ? d.int8() : 0;
    const documentation = v >= 3 ? d.nullableString() : null;
    return { name, value, readOnly, isDefault, configSource, isSensitive, synonyms, configType, documentation };
  };
  const encodeEntry = (e: Encoder, c: DescribeConfigsEntry): void => {
    e.string(c.name).nullableString(c.value).boolean(c.readOnly);
    if (v === 0) e.boolean(c.isDefault);
    else e.int8(c.configSource);
    e.boolean(c.isSensitive);
    if (v >= 1) e.array(c.synonyms, encodeSynonym);
    if (v >= 3) e.int8(c.configType).nullableString(c.documentation);
  };
  const decodeResult = (d: Decoder): DescribeConfigsResult => ({
    errorCode: d.int16(),
    errorMessage: d.nullableString(),
    resourceType: d.int8(),
    resourceName: d.string(),
    configs: d.array(decodeEntry),
  });
  const encodeResult = (e: Encoder, r: DescribeConfigsResult): void => {
    e.int16(r.errorCode).nullableString(r.errorMessage).int8(r.resourceType).string(r.resourceName);
    e.array(r.configs, encodeEntry);
  };
  return {
    decodeRequest: (d) => ({
      resources: d.array(decodeResource, 'resources'),
      includeSynonyms: v >= 1 ? d.boolean('include_synonyms') : false,
      includeDocumentation: v >= 3 ? d.boolean('include_documentation') : false,
    }),
    encodeRequest: (e, r) => {
      e.array(r.resources, encodeResource);
      if (v >= 1) e.boolean(r.includeSynonyms);
      if (v >= 3) e.boolean(r.includeDocumentation);
    },
    decodeResponse: (d) => ({ throttleTimeMs: d.int32(), results: d.array(decodeResult) }),
    encodeResponse: (e, r) => {
      e.int32(r.throttleTimeMs).array(r.results, encodeResult);
    },
  };
}

export const v0 = describeConfigsCodec(0);
export const v1 = describeConfigsCodec(1);
export const v3 = describeConfigsCodec(3);
