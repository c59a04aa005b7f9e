/**
 * The election data model, shared by the producers, the tests and the dashboard.
 *
 * Field names are snake_case so that they are column names in ksqlDB and
 * Postgres as they stand. Records are JSON values on Kafka topics.
 *
 * Times. Every instant (`cast_at`, `registered_at`) is epoch milliseconds UTC,
 * a JSON integer. Why not an ISO string: ksqlDB reads a BIGINT column as the
 * event time with `WITH (TIMESTAMP='cast_at')` and no TIMESTAMP_FORMAT, the
 * same value reads as a TIMESTAMP column (ksqlDB's JSON form of TIMESTAMP is
 * epoch millis), tumbling windows start at epoch-aligned hours, no time zone
 * or format can be misread, and a producer can use it as the Kafka record
 * timestamp directly. A date of birth is a calendar date, not an instant: it
 * is an ISO `YYYY-MM-DD` string (ksqlDB: `PARSE_DATE(date_of_birth, 'yyyy-MM-dd')`).
 *
 * Keys. Each topic's Kafka key is one field of its value, named in RECORD_KEYS.
 * Votes are keyed by voter_id, like voters, so the two are co-partitioned and
 * ksqlDB joins them without a repartition.
 *
 * Ballot secrecy. A vote carries ids, the method and the time, and nothing
 * personal: who voted is joined from the voters topic, inside the pipeline.
 */
import { z } from 'zod';

export const VOTE_METHODS = ['in_person', 'postal', 'early', 'proxy'] as const;
export type VoteMethod = (typeof VOTE_METHODS)[number];

export const GENDERS = ['female', 'male', 'non_binary'] as const;
export type Gender = (typeof GENDERS)[number];

/** Highest level reached, lowest first. */
export const EDUCATION_LEVELS = ['no_qualifications', 'secondary', 'vocational', 'bachelor', 'postgraduate'] as const;
export type EducationLevel = (typeof EDUCATION_LEVELS)[number];

/** Household income quintile-like bands, lowest first; currency-free so any locale fits. */
export const INCOME_BANDS = ['low', 'lower_middle', 'middle', 'upper_middle', 'high'] as const;
export type IncomeBand = (typeof INCOME_BANDS)[number];

export const ELECTION_KINDS = ['parliamentary', 'presidential'] as const;
export type ElectionKind = (typeof ELECTION_KINDS)[number];

const id = (pattern: RegExp) => z.string().regex(pattern);
const uuid = id(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
const epochMillis = z.number().int().nonnegative();

export const RegionIdSchema = id(/^R\d{2,}$/);
export const ConstituencyIdSchema = id(/^C\d{3,}$/);
export const PollingStationIdSchema = id(/^PS\d{5,}$/);
export const PartyIdSchema = id(/^[A-Z]{3}$/);
export const CandidateIdSchema = z.string().min(1);

export const RegionSchema = z.strictObject({
  region_id: RegionIdSchema,
  name: z.string().min(1),
});

export const ConstituencySchema = z.strictObject({
  constituency_id: ConstituencyIdSchema,
  name: z.string().min(1),
  region_id: RegionIdSchema,
});

export const PollingStationSchema = z.strictObject({
  polling_station_id: PollingStationIdSchema,
  name: z.string().min(1),
  address: z.string().min(1),
  constituency_id: ConstituencyIdSchema,
  region_id: RegionIdSchema,
});

export const PartySchema = z.strictObject({
  party_id: PartyIdSchema,
  name: z.string().min(1),
  /** CSS hex colour, for charts. */
  color: id(/^#[0-9a-f]{6}$/),
});

export const CandidateSchema = z.strictObject({
  candidate_id: CandidateIdSchema,
  name: z.string().min(1),
  party_id: PartyIdSchema,
  party_name: z.string().min(1),
  /** null for a national (presidential) candidate, who stands everywhere. */
  constituency_id: ConstituencyIdSchema.nullable(),
  region_id: RegionIdSchema.nullable(),
  /** A generated SVG avatar as a `data:image/svg+xml;base64,` URI. */
  photo: z.string().regex(/^data:image\/svg\+xml;base64,[A-Za-z0-9+/]+=*$/),
});

export const VoterSchema = z.strictObject({
  voter_id: uuid,
  name: z.string().min(1),
  date_of_birth: z.iso.date(),
  gender: z.enum(GENDERS),
  education: z.enum(EDUCATION_LEVELS),
  income_band: z.enum(INCOME_BANDS),
  constituency_id: ConstituencyIdSchema,
  region_id: RegionIdSchema,
  polling_station_id: PollingStationIdSchema,
  registered_at: epochMillis,
});

/**
 * A well-formed vote. Its fields are only ids, the method and the time.
 * Whether the ids refer to a registered voter and a known candidate is not a
 * matter of form: such votes pass this schema and are classified downstream
 * (see truth.ts for the rules).
 */
export const VoteSchema = z.strictObject({
  vote_id: uuid,
  voter_id: z.string().min(1),
  candidate_id: CandidateIdSchema,
  polling_station_id: PollingStationIdSchema,
  method: z.enum(VOTE_METHODS),
  cast_at: epochMillis,
});

export type Region = z.infer<typeof RegionSchema>;
export type Constituency = z.infer<typeof ConstituencySchema>;
export type PollingStation = z.infer<typeof PollingStationSchema>;
export type Party = z.infer<typeof PartySchema>;
export type Candidate = z.infer<typeof CandidateSchema>;
export type Voter = z.infer<typeof VoterSchema>;
export type Vote = z.infer<typeof VoteSchema>;

/** The value field that is each topic's Kafka key. */
export const RECORD_KEYS = {
  regions: 'region_id',
  constituencies: 'constituency_id',
  polling_stations: 'polling_station_id',
  parties: 'party_id',
  candidates: 'candidate_id',
  voters: 'voter_id',
  votes: 'voter_id',
} as const satisfies Record<string, string>;

/** Fields of a vote, in the order producers write them. */
export const VOTE_FIELDS = ['vote_id', 'voter_id', 'candidate_id', 'polling_station_id', 'method', 'cast_at'] as const;

/** A record as a producer sends it: key and value, before serialisation. */
export interface KeyedRecord<T> {
  key: string;
  value: T;
}
