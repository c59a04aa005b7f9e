/**
 * The metric tables the election panels read (.scratch/contract.md): the
 * Kafka Connect JDBC sink creates each on its first record, with ksqlDB's
 * column names in lower case. Until a table exists, queries read an empty
 * relation of the same columns instead, so every panel renders its empty
 * state and comes alive when the table appears.
 */

/** Column -> SQL type of the empty stand-in (types as the sink creates them). */
export const CONTRACT_TABLES = {
  dim_regions: { region_id: 'text', name: 'text' },
  dim_constituencies: { constituency_id: 'text', name: 'text', region_id: 'text' },
  dim_polling_stations: {
    polling_station_id: 'text',
    name: 'text',
    address: 'text',
    constituency_id: 'text',
    region_id: 'text',
  },
  dim_parties: { party_id: 'text', name: 'text', color: 'text' },
  dim_candidates: {
    candidate_id: 'text',
    name: 'text',
    party_id: 'text',
    party_name: 'text',
    constituency_id: 'text',
    region_id: 'text',
    photo: 'text',
  },
  votes_by_candidate: { candidate_id: 'text', party_id: 'text', votes: 'bigint' },
  votes_by_party: { party_id: 'text', votes: 'bigint' },
  votes_by_constituency_candidate: { constituency_id: 'text', candidate_id: 'text', party_id: 'text', votes: 'bigint' },
  turnout_by_region: { region_id: 'text', registered: 'bigint', voted: 'bigint', turnout: 'double precision' },
  turnout_by_constituency: {
    constituency_id: 'text',
    region_id: 'text',
    registered: 'bigint',
    voted: 'bigint',
    turnout: 'double precision',
  },
  votes_by_polling_station: { polling_station_id: 'text', constituency_id: 'text', region_id: 'text', votes: 'bigint' },
  votes_by_education_party: { education: 'text', party_id: 'text', votes: 'bigint' },
  votes_by_income_candidate: { income_band: 'text', candidate_id: 'text', votes: 'bigint' },
  votes_by_method: { method: 'text', votes: 'bigint' },
  votes_by_hour: { hour_start: 'bigint', votes: 'bigint' },
  integrity_counts: { kind: 'text', records: 'bigint' },
  integrity_events: {
    kind: 'text',
    vote_id: 'text',
    voter_id: 'text',
    candidate_id: 'text',
    polling_station_id: 'text',
    reason: 'text',
    cast_at: 'bigint',
  },
} as const satisfies Record<string, Record<string, string>>;

export type ContractTable = keyof typeof CONTRACT_TABLES;

export const CONTRACT_TABLE_NAMES = Object.keys(CONTRACT_TABLES) as ContractTable[];

/** The kinds of integrity_counts and integrity_events, in the order the panel lists them. */
export const INTEGRITY_KINDS = ['repeat_vote', 'unregistered_voter', 'unknown_candidate', 'malformed'] as const;

/** `CREATE TABLE` statements with the contract's columns and keys: what the sink would create (for tests and the benchmark). */
export const CONTRACT_DDL: Record<ContractTable, string> = {
  dim_regions: 'region_id text PRIMARY KEY, name text',
  dim_constituencies: 'constituency_id text PRIMARY KEY, name text, region_id text',
  dim_polling_stations:
    'polling_station_id text PRIMARY KEY, name text, address text, constituency_id text, region_id text',
  dim_parties: 'party_id text PRIMARY KEY, name text, color text',
  dim_candidates:
    'candidate_id text PRIMARY KEY, name text, party_id text, party_name text, constituency_id text, region_id text, photo text',
  votes_by_candidate: 'candidate_id text PRIMARY KEY, party_id text, votes bigint',
  votes_by_party: 'party_id text PRIMARY KEY, votes bigint',
  votes_by_constituency_candidate:
    'constituency_id text, candidate_id text, party_id text, votes bigint, PRIMARY KEY (constituency_id, candidate_id)',
  turnout_by_region: 'region_id text PRIMARY KEY, registered bigint, voted bigint, turnout double precision',
  turnout_by_constituency:
    'constituency_id text PRIMARY KEY, region_id text, registered bigint, voted bigint, turnout double precision',
  votes_by_polling_station: 'polling_station_id text PRIMARY KEY, constituency_id text, region_id text, votes bigint',
  votes_by_education_party: 'education text, party_id text, votes bigint, PRIMARY KEY (education, party_id)',
  votes_by_income_candidate:
    'income_band text, candidate_id text, votes bigint, PRIMARY KEY (income_band, candidate_id)',
  votes_by_method: 'method text PRIMARY KEY, votes bigint',
  votes_by_hour: 'hour_start bigint PRIMARY KEY, votes bigint',
  integrity_counts: 'kind text PRIMARY KEY, records bigint',
  integrity_events:
    'kind text, vote_id text, voter_id text, candidate_id text, polling_station_id text, reason text, cast_at bigint',
};

/** The statements that create the contract's tables (those given, or all) in `schema`. */
export function contractDdl(schema = 'public', tables: readonly ContractTable[] = CONTRACT_TABLE_NAMES): string {
  return tables.map((t) => `CREATE TABLE "${schema}".${t} (${CONTRACT_DDL[t]});`).join('\n');
}
