/**
 * The votes topic, built record by record from the plan (vote-plan.ts) in
 * cast_at order. Vote ids come from the emission position, so the n-th
 * record is the same whenever and wherever it is built.
 */
import type { Ballots } from './candidates.ts';
import type { Geography } from './geography.ts';
import { indexUuid } from './ids.ts';
import { type MalformedDefect, malformVote } from './malformed.ts';
import { VOTE_METHODS, type Vote } from './model.ts';
import type { PollingDay } from './polling-day.ts';
import { VOTE_CATEGORIES, type VoteCategory, type VotePlan } from './vote-plan.ts';
import { type VoterKeys, voterId } from './voters.ts';

/** A well-formed record on the votes topic. */
export interface VoteEvent {
  kind: 'vote';
  /** The Kafka key: the vote's voter_id. */
  key: string;
  value: Vote;
  /** Event time (= value.cast_at): the Kafka record timestamp, and what a producer paces by. */
  timestamp: number;
  /** How the truth classified it; for tests and diagnostics, not for the topic. */
  category: Exclude<VoteCategory, 'malformed'>;
}

/** A record on the votes topic that is not a vote: raw text to send as it is. */
export interface MalformedEvent {
  kind: 'malformed';
  key: string | null;
  value: string;
  timestamp: number;
  category: 'malformed';
  defect: MalformedDefect;
}

export type VoteStreamEvent = VoteEvent | MalformedEvent;

export interface VoteStreamContext {
  plan: VotePlan;
  voterKeys: VoterKeys;
  ballots: Ballots;
  geography: Geography;
  day: PollingDay;
  unknownCandidates: readonly string[];
  voteIdKey: number;
  malformedKey: number;
}

/** The votes topic's records from emission position `from`, in cast_at order. */
export function* streamVotes(ctx: VoteStreamContext, from = 0): Generator<VoteStreamEvent> {
  const ids = placeIds(ctx);
  for (let n = Math.max(0, from); n < ctx.plan.size; n++) yield voteEventAt(ctx, ids, n);
}

interface PlaceIds {
  stationIds: readonly string[];
  candidateIds: readonly string[];
}

function placeIds(ctx: VoteStreamContext): PlaceIds {
  return {
    stationIds: ctx.geography.pollingStations.map((s) => s.polling_station_id),
    candidateIds: ctx.ballots.candidates.map((c) => c.candidate_id),
  };
}

/** The record at emission position `n`. */
function voteEventAt(ctx: VoteStreamContext, ids: PlaceIds, n: number): VoteStreamEvent {
  const { plan, day } = ctx;
  const p = plan.order[n] ?? 0;
  const candidate = plan.candidate[p] ?? 0;
  const castAt = day.opensAt + (plan.offset[p] ?? 0);
  const vote: Vote = {
    vote_id: indexUuid(n, ctx.voteIdKey),
    voter_id: voterId(plan.voter[p] ?? 0, ctx.voterKeys),
    candidate_id: (candidate >= 0 ? ids.candidateIds[candidate] : ctx.unknownCandidates[-1 - candidate]) ?? '',
    polling_station_id: ids.stationIds[plan.station[p] ?? 0] ?? '',
    method: VOTE_METHODS[plan.method[p] ?? 0] ?? 'in_person',
    cast_at: castAt,
  };
  const category = VOTE_CATEGORIES[plan.category[p] ?? 0] ?? 'counted';
  if (category === 'malformed') {
    const bad = malformVote(vote, p, ctx.malformedKey);
    return { kind: 'malformed', key: bad.key, value: bad.value, timestamp: castAt, category, defect: bad.defect };
  }
  return { kind: 'vote', key: vote.voter_id, value: vote, timestamp: castAt, category };
}

const MALFORMED = VOTE_CATEGORIES.indexOf('malformed');

/** A votes-topic record as a producer sends it: serializeVoteEvent of the same event, built without the event. */
export interface SerializedVote {
  key: string | null;
  value: string;
  timestamp: number;
}

/**
 * The votes topic's records from emission position `from`, serialised:
 * record for record what serializeVoteEvent(streamVotes(...)) gives, the
 * same strings, but a well-formed vote's JSON is joined from pieces quoted
 * once for the whole stream (the uuids between them are hex, which needs no
 * quoting), with no Vote or event object per record: in a backfill this
 * stream is most of the producer's work. (Spelling the whole value as bytes
 * in a buffer and reading it out as one string measured slower.)
 */
export function* streamSerializedVotes(ctx: VoteStreamContext, from = 0): Generator<SerializedVote> {
  const { plan, ballots, geography, day } = ctx;
  const ids = placeIds(ctx);
  const quote = (text: string | undefined) => JSON.stringify(text ?? '');
  const stations = geography.pollingStations.map((s) => `,"polling_station_id":${quote(s.polling_station_id)}`);
  const candidates = ballots.candidates.map((c) => `,"candidate_id":${quote(c.candidate_id)}`);
  const unknown = ctx.unknownCandidates.map((id) => `,"candidate_id":${quote(id)}`);
  const methods = VOTE_METHODS.map((m) => `,"method":${quote(m)},"cast_at":`);
  const noCandidate = `,"candidate_id":${quote('')}`;
  const noStation = `,"polling_station_id":${quote('')}`;
  for (let n = Math.max(0, from); n < plan.size; n++) {
    const p = plan.order[n] ?? 0;
    const castAt = day.opensAt + (plan.offset[p] ?? 0);
    if (plan.category[p] === MALFORMED) {
      yield serializeVoteEvent(voteEventAt(ctx, ids, n));
      continue;
    }
    const candidate = plan.candidate[p] ?? 0;
    const voter = voterId(plan.voter[p] ?? 0, ctx.voterKeys);
    const value =
      `{"vote_id":"${indexUuid(n, ctx.voteIdKey)}","voter_id":"${voter}"` +
      ((candidate >= 0 ? candidates[candidate] : unknown[-1 - candidate]) ?? noCandidate) +
      (stations[plan.station[p] ?? 0] ?? noStation) +
      (methods[plan.method[p] ?? 0] ?? (methods[0] as string)) +
      `${castAt}}`;
    yield { key: voter, value, timestamp: castAt };
  }
}

/** An event as bytes-to-be: key and value strings, as a producer sends them. */
export function serializeVoteEvent(event: VoteStreamEvent): { key: string | null; value: string; timestamp: number } {
  return {
    key: event.key,
    value: event.kind === 'vote' ? JSON.stringify(event.value) : event.value,
    timestamp: event.timestamp,
  };
}
