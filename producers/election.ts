/**
 * One election: a scenario and a seed, and everything that follows from them.
 * Places, parties and candidates are built at once (they are small); the
 * register at once too (compact); the polling-day plan on first use.
 */
import { type Ballots, generateBallots, unknownCandidateIds } from './candidates.ts';
import { type Geography, generateGeography } from './geography.ts';
import type { Candidate, Constituency, KeyedRecord, Party, PollingStation, Region, Voter } from './model.ts';
import { partyRecord } from './parties.ts';
import { type PollingDay, pollingDay } from './polling-day.ts';
import { choiceTable } from './preferences.ts';
import { deriveSeed } from './random.ts';
import { resolveScenario, type Scenario, type ScenarioName, type ScenarioOverrides } from './scenarios.ts';
import { computeTruth, type ElectionTruth } from './truth.ts';
import { turnoutTable } from './turnout.ts';
import { planVotes, type VotePlan } from './vote-plan.ts';
import { generateRegister, VoterRecords, type VoterRegister, voterKeys } from './voters.ts';
import {
  type SerializedVote,
  streamSerializedVotes,
  streamVotes,
  type VoteStreamContext,
  type VoteStreamEvent,
} from './votes.ts';

export interface ElectionOptions {
  /** A scenario name or a full scenario; default `small`. */
  scenario?: ScenarioName | Scenario;
  /** Any 32-bit integer; default 1. Same scenario and seed, same election. */
  seed?: number;
  overrides?: ScenarioOverrides;
}

export class Election {
  readonly scenario: Scenario;
  readonly seed: number;
  readonly regions: readonly Region[];
  readonly constituencies: readonly Constituency[];
  readonly pollingStations: readonly PollingStation[];
  readonly parties: readonly Party[];
  readonly candidates: readonly Candidate[];
  /** Candidate ids that appear on votes but on no ballot (the unknown-candidate events). */
  readonly unknownCandidateIds: readonly string[];
  /** Polls open and close, epoch millis UTC; every cast_at is in [opens_at, closes_at). */
  readonly polling: { opens_at: number; closes_at: number };

  private readonly geography: Geography;
  private readonly ballots: Ballots;
  private readonly register: VoterRegister;
  private readonly voterRecords: VoterRecords;
  private readonly day: PollingDay;
  private readonly keys: ReturnType<typeof voterKeys>;
  private plan: VotePlan | null = null;
  private truthCache: ElectionTruth | null = null;

  constructor(options: ElectionOptions = {}) {
    this.seed = (options.seed ?? 1) >>> 0;
    this.scenario = resolveScenario(options.scenario ?? 'small', options.overrides);
    this.geography = generateGeography(this.scenario, this.seed);
    this.ballots = generateBallots(this.scenario, this.geography, this.seed);
    this.register = generateRegister(this.scenario, this.geography, this.seed);
    this.keys = voterKeys(this.seed);
    this.voterRecords = new VoterRecords(this.register, this.geography, this.keys, this.scenario);
    this.day = pollingDay(this.scenario);
    this.regions = this.geography.regions.map((r) => r.record);
    this.constituencies = this.geography.constituencies.map((c) => c.record);
    this.pollingStations = this.geography.pollingStations;
    this.parties = this.ballots.parties.map(partyRecord);
    this.candidates = this.ballots.candidates;
    this.unknownCandidateIds = unknownCandidateIds(this.ballots, this.geography, this.seed);
    this.polling = { opens_at: this.day.opensAt, closes_at: this.day.closesAt };
  }

  /** Registered voters: the number of records voters() yields. */
  get voterCount(): number {
    return this.register.count;
  }

  /** Records on the votes topic, malformed included: the number votes() yields. Plans the day if not yet done. */
  get voteRecordCount(): number {
    return this.votePlan().size;
  }

  /** Voters [from, to) in register order, keyed by voter_id. Built on the fly; resumable at any index. */
  voters(from = 0, to = this.register.count): Generator<KeyedRecord<Voter>> {
    return this.voterRecords.range(from, to);
  }

  /** One voter by register index (0 .. voterCount-1). */
  voter(index: number): Voter {
    return this.voterRecords.at(index);
  }

  /** Candidates keyed by candidate_id. */
  candidateRecords(): KeyedRecord<Candidate>[] {
    return this.candidates.map((value) => ({ key: value.candidate_id, value }));
  }

  /**
   * The votes topic in cast_at order, from emission position `from` (to
   * resume after `from` records were sent). Deterministic: the n-th record is
   * always the same, including its vote_id.
   */
  votes(from = 0): Generator<VoteStreamEvent> {
    return streamVotes(this.voteStreamContext(), from);
  }

  /** votes(from), each record serialised as serializeVoteEvent does, built faster (for producing). */
  serializedVotes(from = 0): Generator<SerializedVote> {
    return streamSerializedVotes(this.voteStreamContext(), from);
  }

  private voteStreamContext(): VoteStreamContext {
    return {
      plan: this.votePlan(),
      voterKeys: this.keys,
      ballots: this.ballots,
      geography: this.geography,
      day: this.day,
      unknownCandidates: this.unknownCandidateIds,
      voteIdKey: deriveSeed(this.seed, 'vote-ids'),
      malformedKey: deriveSeed(this.seed, 'malformed-defects'),
    };
  }

  /** The exact figures the metrics must show after the whole votes topic is processed (see truth.ts). */
  truth(): ElectionTruth {
    this.truthCache ??= computeTruth({
      scenario: this.scenario,
      seed: this.seed,
      geography: this.geography,
      ballots: this.ballots,
      register: this.register,
      plan: this.votePlan(),
      day: this.day,
      malformedKey: deriveSeed(this.seed, 'malformed-defects'),
    });
    return this.truthCache;
  }

  private votePlan(): VotePlan {
    this.plan ??= planVotes({
      scenario: this.scenario,
      seed: this.seed,
      geography: this.geography,
      ballots: this.ballots,
      register: this.register,
      turnout: turnoutTable(this.geography, this.scenario.baseTurnout),
      choices: choiceTable(this.geography, this.ballots, this.seed),
      day: this.day,
      unknownCandidates: this.unknownCandidateIds,
    });
    return this.plan;
  }
}

export function createElection(options: ElectionOptions = {}): Election {
  return new Election(options);
}
