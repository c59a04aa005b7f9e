/**
 * Request and response headers.
 *
 *   Request Header v0 => request_api_key request_api_version correlation_id
 *     request_api_key => INT16
 *     request_api_version => INT16
 *     correlation_id => INT32
 *   Request Header v1 => v0 client_id
 *     client_id => NULLABLE_STRING (i16 length, even in v2)
 *   Request Header v2 => v1 TAG_BUFFER
 *
 *   Response Header v0 => correlation_id
 *     correlation_id => INT32
 *   Response Header v1 => correlation_id TAG_BUFFER
 *
 * Flexible versions of an API use request header v2 and response header v1;
 * the others use request header v1 and response header v0. ApiVersions is the
 * exception: its response header is always v0, because a client that does not
 * yet know our versions must be able to read it.
 */
import { API_KEYS } from './api-keys.ts';
import type { Decoder } from './wire/decoder.ts';
import type { Encoder } from './wire/encoder.ts';

export interface RequestHeader {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  /** Null in header v0, or when the client sent none. */
  clientId: string | null;
}

export type RequestHeaderVersion = 0 | 1 | 2;
export type ResponseHeaderVersion = 0 | 1;

export interface HeaderVersions {
  request: RequestHeaderVersion;
  response: ResponseHeaderVersion;
}

/** Header versions for an API version, given the first flexible version of that API. */
export function headerVersions(apiKey: number, apiVersion: number, flexibleFrom: number): HeaderVersions {
  const flexible = apiVersion >= flexibleFrom;
  return {
    request: flexible ? 2 : 1,
    response: flexible && apiKey !== API_KEYS.ApiVersions ? 1 : 0,
  };
}

/** The fields common to every request header version: enough to answer, or to pick the rest of the header. */
export function decodeRequestHeaderStart(decoder: Decoder): RequestHeader {
  return {
    apiKey: decoder.int16('request_api_key'),
    apiVersion: decoder.int16('request_api_version'),
    correlationId: decoder.int32('correlation_id'),
    clientId: null,
  };
}

/** Reads what follows the common fields for the given header version. */
export function decodeRequestHeaderRest(decoder: Decoder, header: RequestHeader, version: RequestHeaderVersion): void {
  if (version >= 1) header.clientId = decoder.nullableString('client_id');
  if (version >= 2) decoder.taggedFields();
}

export function decodeRequestHeader(decoder: Decoder, version: RequestHeaderVersion): RequestHeader {
  const header = decodeRequestHeaderStart(decoder);
  decodeRequestHeaderRest(decoder, header, version);
  return header;
}

export function encodeRequestHeader(encoder: Encoder, header: RequestHeader, version: RequestHeaderVersion): void {
  encoder.int16(header.apiKey).int16(header.apiVersion).int32(header.correlationId);
  if (version >= 1) encoder.nullableString(header.clientId);
  if (version >= 2) encoder.emptyTaggedFields();
}

export function encodeResponseHeader(encoder: Encoder, correlationId: number, version: ResponseHeaderVersion): void {
  encoder.int32(correlationId);
  if (version >= 1) encoder.emptyTaggedFields();
}

export function decodeResponseHeader(decoder: Decoder, version: ResponseHeaderVersion): { correlationId: number } {
  const correlationId = decoder.int32('correlation_id');
  if (version >= 1) decoder.taggedFields();
  return { correlationId };
}
