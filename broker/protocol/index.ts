/**
 * broker/protocol: the Kafka wire codec of the embedded broker. This is the
 * module the rest of the broker imports; it states the contract:
 *
 * - `SUPPORTED_APIS`: the API keys and version ranges we serve (what
 *   ApiVersions advertises).
 * - `decodeRequest(frame)`: a request frame without its 4-byte size prefix ->
 *   `{ header, apiName, request }`. Throws `MalformedFrameError` for bytes
 *   that do not parse (close the connection), `UnknownApiKeyError` /
 *   `UnsupportedVersionError` (both carry the header, so the correlation id is
 *   known) for requests we do not serve.
 * - `encodeResponse(header, response)`: the response frame, size prefix and
 *   the right response header included.
 * - `encodeUnsupportedApiVersionsResponse(header)`: the special answer to an
 *   ApiVersions version we do not serve (v0 body, error 35, our range for 18).
 * - The client side (`encodeRequest`, `decodeResponse`) for tests and tools.
 *
 * Record batches (Produce request, Fetch response) are opaque Buffers here.
 */
import type { ApiDefinition, VersionCodec } from './api.ts';
import { API_KEYS, type ApiName } from './api-keys.ts';
import { addOffsetsToTxn } from './apis/addOffsetsToTxn/index.ts';
import { addPartitionsToTxn } from './apis/addPartitionsToTxn/index.ts';
import { type ApiVersionRange, type ApiVersionsResponse, apiVersions } from './apis/apiVersions/index.ts';
import { v0 as apiVersionsV0 } from './apis/apiVersions/v0.ts';
import { createPartitions } from './apis/createPartitions/index.ts';
import { createTopics } from './apis/createTopics/index.ts';
import { deleteGroups } from './apis/deleteGroups/index.ts';
import { deleteRecords } from './apis/deleteRecords/index.ts';
import { deleteTopics } from './apis/deleteTopics/index.ts';
import { describeConfigs } from './apis/describeConfigs/index.ts';
import { describeGroups } from './apis/describeGroups/index.ts';
import { endTxn } from './apis/endTxn/index.ts';
import { fetch } from './apis/fetch/index.ts';
import { findCoordinator } from './apis/findCoordinator/index.ts';
import { heartbeat } from './apis/heartbeat/index.ts';
import { initProducerId } from './apis/initProducerId/index.ts';
import { joinGroup } from './apis/joinGroup/index.ts';
import { leaveGroup } from './apis/leaveGroup/index.ts';
import { listGroups } from './apis/listGroups/index.ts';
import { listOffsets } from './apis/listOffsets/index.ts';
import { metadata } from './apis/metadata/index.ts';
import { offsetCommit } from './apis/offsetCommit/index.ts';
import { offsetFetch } from './apis/offsetFetch/index.ts';
import { offsetForLeaderEpoch } from './apis/offsetForLeaderEpoch/index.ts';
import { produce } from './apis/produce/index.ts';
import { saslAuthenticate } from './apis/saslAuthenticate/index.ts';
import { saslHandshake } from './apis/saslHandshake/index.ts';
import { syncGroup } from './apis/syncGroup/index.ts';
import { txnOffsetCommit } from './apis/txnOffsetCommit/index.ts';
import { ERROR_CODES } from './error-codes.ts';
import { MalformedFrameError, ProtocolError, UnknownApiKeyError, UnsupportedVersionError } from './errors.ts';
import {
  decodeRequestHeaderRest,
  decodeRequestHeaderStart,
  decodeResponseHeader,
  encodeRequestHeader,
  encodeResponseHeader,
  headerVersions,
  type RequestHeader,
} from './header.ts';
import { Decoder } from './wire/decoder.ts';
import { Encoder } from './wire/encoder.ts';

export type { ApiDefinition, VersionCodec } from './api.ts';
export { API_KEYS, type ApiKey, type ApiName } from './api-keys.ts';
export type * from './apis/addOffsetsToTxn/index.ts';
export type * from './apis/addPartitionsToTxn/index.ts';
export type * from './apis/apiVersions/index.ts';
export type * from './apis/createPartitions/index.ts';
export type * from './apis/createTopics/index.ts';
export type * from './apis/deleteGroups/index.ts';
export type * from './apis/deleteRecords/index.ts';
export type * from './apis/deleteTopics/index.ts';
export type * from './apis/describeConfigs/index.ts';
export type * from './apis/describeGroups/index.ts';
export type * from './apis/endTxn/index.ts';
export type * from './apis/fetch/index.ts';
export type * from './apis/findCoordinator/index.ts';
export type * from './apis/heartbeat/index.ts';
export type * from './apis/initProducerId/index.ts';
export type * from './apis/joinGroup/index.ts';
export type * from './apis/leaveGroup/index.ts';
export type * from './apis/listGroups/index.ts';
export type * from './apis/listOffsets/index.ts';
export type * from './apis/metadata/index.ts';
export type * from './apis/offsetCommit/index.ts';
export type * from './apis/offsetFetch/index.ts';
export type * from './apis/offsetForLeaderEpoch/index.ts';
export type * from './apis/produce/index.ts';
export type * from './apis/saslAuthenticate/index.ts';
export type * from './apis/saslHandshake/index.ts';
export type * from './apis/syncGroup/index.ts';
export type * from './apis/txnOffsetCommit/index.ts';
export { ALL_ERROR_CODES, describeErrorCode, ERROR_CODES, type ErrorName, isRetriable } from './error-codes.ts';
export {
  MalformedFrameError,
  ProtocolError,
  UnknownApiKeyError,
  UnsupportedRequestError,
  UnsupportedVersionError,
} from './errors.ts';
export { headerVersions, type RequestHeader } from './header.ts';
export { Decoder, Encoder } from './wire/index.ts';

/** Every API we serve, one definition each. */
export const APIS: readonly ApiDefinition[] = [
  produce,
  fetch,
  listOffsets,
  metadata,
  offsetCommit,
  offsetFetch,
  findCoordinator,
  joinGroup,
  heartbeat,
  leaveGroup,
  syncGroup,
  describeGroups,
  listGroups,
  saslHandshake,
  apiVersions,
  createTopics,
  deleteTopics,
  deleteRecords,
  initProducerId,
  offsetForLeaderEpoch,
  addPartitionsToTxn,
  addOffsetsToTxn,
  endTxn,
  txnOffsetCommit,
  describeConfigs,
  saslAuthenticate,
  createPartitions,
  deleteGroups,
] as ApiDefinition[];

const API_BY_KEY = new Map<number, ApiDefinition>(APIS.map((api) => [api.apiKey, api]));

/** The ranges ApiVersions advertises, in api key order. */
export const SUPPORTED_APIS: readonly ApiVersionRange[] = APIS.map((api) => ({
  apiKey: api.apiKey,
  minVersion: api.minVersion,
  maxVersion: api.maxVersion,
})).sort((a, b) => a.apiKey - b.apiKey);

export function apiDefinition(apiKey: number): ApiDefinition | undefined {
  return API_BY_KEY.get(apiKey);
}

/** Name of an API key we serve, e.g. 'Produce'. */
export function apiName(apiKey: number): ApiName | undefined {
  return API_BY_KEY.get(apiKey)?.name as ApiName | undefined;
}

export interface DecodedRequest {
  header: RequestHeader;
  apiName: ApiName;
  /** The request object of that API and version (e.g. ProduceRequest when apiKey is 0). */
  request: unknown;
}

function codecFor(header: RequestHeader): { api: ApiDefinition; codec: VersionCodec<unknown, unknown> } {
  const api = API_BY_KEY.get(header.apiKey);
  if (api === undefined) throw new UnknownApiKeyError(header);
  const codec = api.versions[header.apiVersion];
  if (codec === undefined) throw new UnsupportedVersionError(header, api.name, api.minVersion, api.maxVersion);
  return { api, codec };
}

/** Adds which API and version was being decoded to a MalformedFrameError. */
function withContext<T>(what: string, decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    if (error instanceof MalformedFrameError) {
      throw new MalformedFrameError(`${what}: ${error.message}`, undefined, error.offset);
    }
    if (error instanceof RangeError) throw new MalformedFrameError(`${what}: ${error.message}`);
    throw error;
  }
}

/** Decodes a request frame (without its size prefix): header, then body. */
export function decodeRequest(frame: Buffer): DecodedRequest {
  const decoder = new Decoder(frame);
  const header = withContext('request header', () => decodeRequestHeaderStart(decoder));
  const api = API_BY_KEY.get(header.apiKey);
  if (api === undefined) throw new UnknownApiKeyError(header);
  const versions = headerVersions(header.apiKey, header.apiVersion, api.flexibleFrom);
  const codec = api.versions[header.apiVersion];
  if (codec === undefined) {
    // Best effort, so that logs can name the client; the header of a version
    // we do not know may not be what we expect.
    try {
      decodeRequestHeaderRest(decoder, header, versions.request);
    } catch {
      header.clientId = null;
    }
    throw new UnsupportedVersionError(header, api.name, api.minVersion, api.maxVersion);
  }
  withContext('request header', () => decodeRequestHeaderRest(decoder, header, versions.request));
  const what = `${api.name} v${header.apiVersion} request`;
  const request = withContext(what, () => {
    const body = codec.decodeRequest(decoder);
    decoder.assertFullyConsumed(what);
    return body;
  });
  return { header, apiName: api.name as ApiName, request };
}

/** Encodes a response frame: size prefix, response header for the request's API and version, body. */
export function encodeResponse(header: RequestHeader, response: unknown): Buffer {
  return encodeResponseFrame(header, response).toBuffer();
}

/** As `encodeResponse`, but as chunks for a vectored write: large record batches are not copied. */
export function encodeResponseChunks(header: RequestHeader, response: unknown): Buffer[] {
  return encodeResponseFrame(header, response).toChunks();
}

function encodeResponseFrame(header: RequestHeader, response: unknown): Encoder {
  const { api, codec } = codecFor(header);
  const encoder = new Encoder();
  encoder.int32(0);
  encodeResponseHeader(
    encoder,
    header.correlationId,
    headerVersions(api.apiKey, header.apiVersion, api.flexibleFrom).response,
  );
  codec.encodeResponse(encoder, response);
  return encoder.patchInt32(0, encoder.length - 4);
}

/**
 * The answer to an ApiVersions request of a version we do not serve: version 0
 * layout, UNSUPPORTED_VERSION, and our ApiVersions range, from which the
 * client picks a version to retry with (librdkafka sends v3 first).
 */
export function encodeUnsupportedApiVersionsResponse(header: RequestHeader): Buffer {
  const body: ApiVersionsResponse = {
    errorCode: ERROR_CODES.UNSUPPORTED_VERSION,
    apiKeys: [{ apiKey: API_KEYS.ApiVersions, minVersion: apiVersions.minVersion, maxVersion: apiVersions.maxVersion }],
    throttleTimeMs: 0,
  };
  const encoder = new Encoder().int32(0);
  encodeResponseHeader(encoder, header.correlationId, 0);
  apiVersionsV0.encodeResponse(encoder, body);
  return encoder.patchInt32(0, encoder.length - 4).toBuffer();
}

/** Client side: a request frame with size prefix and header. */
export function encodeRequest(header: RequestHeader, request: unknown): Buffer {
  const { api, codec } = codecFor(header);
  const encoder = new Encoder().int32(0);
  encodeRequestHeader(encoder, header, headerVersions(api.apiKey, header.apiVersion, api.flexibleFrom).request);
  codec.encodeRequest(encoder, request);
  return encoder.patchInt32(0, encoder.length - 4).toBuffer();
}

/** Client side: decodes a response frame (without size prefix) to the request described by `header`. */
export function decodeResponse(header: RequestHeader, frame: Buffer): { correlationId: number; response: unknown } {
  const { api, codec } = codecFor(header);
  const decoder = new Decoder(frame);
  const what = `${api.name} v${header.apiVersion} response`;
  return withContext(what, () => {
    const { correlationId } = decodeResponseHeader(
      decoder,
      headerVersions(api.apiKey, header.apiVersion, api.flexibleFrom).response,
    );
    const response = codec.decodeResponse(decoder);
    decoder.assertFullyConsumed(what);
    return { correlationId, response };
  });
}

export const isProtocolError = (error: unknown): error is ProtocolError => error instanceof ProtocolError;
