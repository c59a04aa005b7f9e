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
  const { plan, ballots, geography, day } = ctx;
  const stationIds = geography.pollingStations.map((s) => s.polling_station_id);
  const candidateIds = ballots.candidates.map((c) => c.candidate_id);
  for (let n = Math.max(0, from); n < plan.size; n++) {
    const p = plan.order[n] ?? 0;
    const candidate = plan.candidate[p] ?? 0;
    const castAt = day.opensAt + (plan.offset[p] ?? 0);
    const vote: Vote = {
      vote_id: indexUuid(n, ctx.voteIdKey),
      voter_id: voterId(plan.voter[p] ?? 0, ctx.voterKeys),
      candidate_id: (candidate >= 0 ? candidateIds[candidate] : ctx.unknownCandidates[-1 - candidate]) ?? '',
      polling_station_id: stationIds[plan.station[p] ?? 0] ?? '',
      method: VOTE_METHODS[plan.method[p] ?? 0] ?? 'in_person',
      cast_at: castAt,
    };
    const category = VOTE_CATEGORIES[plan.category[p] ?? 0] ?? 'counted';
    if (category === 'malformed') {
      const bad = malformVote(vote, p, ctx.malformedKey);
      yield { kind: 'malformed', key: bad.key, value: bad.value, timestamp: castAt, category, defect: bad.defect };
    } else {
      yield { kind: 'vote', key: vote.voter_id, value: vote, timestamp: castAt, category };
    }
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
