/**
 * Tally's election data: the shared model and the seeded generators.
 *
 * The contract
 * ------------
 * - `createElection({ scenario, seed, overrides })` returns an Election. The
 *   same scenario, overrides and seed give the same records, byte for byte,
 *   on any machine: all randomness is seeded, nothing reads the clock.
 * - Reference data, small and held in memory: `regions`, `constituencies`,
 *   `pollingStations`, `parties`, `candidates` (see `candidateRecords()` for
 *   keyed records).
 * - `voters(from?, to?)`: a generator of `{ key: voter_id, value: Voter }` in
 *   register order, built on the fly (names by faker) and resumable at any
 *   index. `voterCount` tells how many.
 * - `votes(from?)`: a generator of the votes topic in cast_at order
 *   (non-decreasing `timestamp`), resumable at any position. Each item is
 *   either `{ kind: 'vote', key: voter_id, value: Vote, timestamp }` or
 *   `{ kind: 'malformed', key: string | null, value: string, timestamp }`,
 *   whose value is raw text to send as it is. `serializeVoteEvent` gives the
 *   key and value strings of either. `voteRecordCount` tells how many.
 *   `category` on each item is the truth's classification, for tests only.
 * - `truth()`: the exact figures every metric must show once all the votes
 *   have been processed; JSON-serialisable. truth.ts defines each count.
 * - `polling`: opening and closing time; every cast_at lies within.
 *
 * Memory: the register costs 14 bytes a voter and the day's plan about 17
 * bytes a vote record; records are objects only while a reader holds them.
 * Topics carry JSON values; times are epoch millis (see model.ts for why).
 */
export { avatarDataUri, avatarSvg } from './avatar.ts';
export { createElection, Election, type ElectionOptions } from './election.ts';
export { MALFORMED_DEFECTS, type MalformedDefect } from './malformed.ts';
export * from './model.ts';
export { PARTIES, type PartyProfile } from './parties.ts';
export {
  type IntegrityShares,
  resolveScenario,
  SCENARIO_NAMES,
  SCENARIOS,
  type Scenario,
  type ScenarioName,
  type ScenarioOverrides,
} from './scenarios.ts';
export { JSON_SCHEMAS, type JsonSchema, modelSchema, type RecordKind } from './schemas.ts';
export {
  type ConstituencyResult,
  type Counts,
  type ElectionTruth,
  TOP_POLLING_STATIONS,
  type TurnoutFigure,
} from './truth.ts';
export { VOTE_CATEGORIES, type VoteCategory } from './vote-plan.ts';
export { type MalformedEvent, serializeVoteEvent, type VoteEvent, type VoteStreamEvent } from './votes.ts';
