/**
 * JSON Schemas (draft-07) of the records, derived from the zod model so the
 * two cannot drift. Draft-07 because every Schema Registry and validator in
 * reach reads it.
 */
import { z } from 'zod';
import {
  CandidateSchema,
  ConstituencySchema,
  PartySchema,
  PollingStationSchema,
  RegionSchema,
  VoterSchema,
  VoteSchema,
} from './model.ts';

export type JsonSchema = Record<string, unknown>;

const MODEL = {
  region: RegionSchema,
  constituency: ConstituencySchema,
  polling_station: PollingStationSchema,
  party: PartySchema,
  candidate: CandidateSchema,
  voter: VoterSchema,
  vote: VoteSchema,
} as const;

export type RecordKind = keyof typeof MODEL;

function toJsonSchema(kind: RecordKind): JsonSchema {
  const schema = z.toJSONSchema(MODEL[kind], { target: 'draft-7' }) as JsonSchema;
  return { ...schema, title: kind };
}

export const JSON_SCHEMAS: Readonly<Record<RecordKind, JsonSchema>> = Object.freeze({
  region: toJsonSchema('region'),
  constituency: toJsonSchema('constituency'),
  polling_station: toJsonSchema('polling_station'),
  party: toJsonSchema('party'),
  candidate: toJsonSchema('candidate'),
  voter: toJsonSchema('voter'),
  vote: toJsonSchema('vote'),
});

/** The zod schema of a record kind, for validation in code. */
export function modelSchema(kind: RecordKind): (typeof MODEL)[RecordKind] {
  return MODEL[kind];
}
