/**
 * The shape every API folder exports: one codec per served version, each
 * mirroring that version's wire grammar, for both sides of the conversation.
 */
import type { Decoder } from './wire/decoder.ts';
import type { Encoder } from './wire/encoder.ts';

/** Body codec of one version (no size prefix, no header). */
export interface VersionCodec<Request, Response> {
  /** Broker side: read a client's request. */
  decodeRequest(decoder: Decoder): Request;
  /** Client side: write a request. */
  encodeRequest(encoder: Encoder, request: Request): void;
  /** Client side: read the broker's response. */
  decodeResponse(decoder: Decoder): Response;
  /** Broker side: write a response. */
  encodeResponse(encoder: Encoder, response: Response): void;
}

export interface ApiDefinition<Request = unknown, Response = unknown> {
  name: string;
  apiKey: number;
  minVersion: number;
  maxVersion: number;
  /** First version using the flexible encoding (compact types, tagged fields, header v2), if any exists in Kafka. */
  flexibleFrom: number;
  /** Codec per served version, indexed by version number. */
  versions: Readonly<Record<number, VersionCodec<Request, Response>>>;
}

/** Builds an API definition, checking that every version in the range has a codec. */
export function defineApi<Request, Response>(
  definition: Omit<ApiDefinition<Request, Response>, 'minVersion' | 'maxVersion'>,
): ApiDefinition<Request, Response> {
  const served = Object.keys(definition.versions)
    .map(Number)
    .sort((a, b) => a - b);
  const minVersion = served[0];
  const maxVersion = served[served.length - 1];
  if (minVersion === undefined || maxVersion === undefined || maxVersion - minVersion + 1 !== served.length) {
    throw new Error(`${definition.name}: versions must be a contiguous range, got ${served.join(',')}`);
  }
  return { ...definition, minVersion, maxVersion };
}
