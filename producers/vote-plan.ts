/**
 * The polling-day plan. The whole day is planned first, compactly (about 17
 * bytes a record in typed arrays, no strings), then sorted by cast time;
 * records are built only as a reader asks for them (votes.ts), so a producer
 * streams a large election in cast_at order without holding it as objects.
 *
 * Plan, in this order, each part from its own random stream (changing one
 * share does not reshuffle the rest):
 *  1. counted votes: each registered voter votes with their turnout
 *     probability, by a method from the scenario's mix, for a candidate on
 *     their ballot drawn from their preferences, at their polling station;
 *  2. repeat votes: voters from step 1 vote again, strictly later in the day;
 *  3. votes from unregistered voter ids (ids on no register);
 *  4. spoiled ballots: votes for unknown candidate ids, each by a distinct
 *     registered voter who casts no other vote (an abstainer of step 1), so
 *     the unknown-candidate vote is that voter's first and only ballot;
 *  5. malformed records.
 * The counts of 2-5 are round(share * counted votes); step 4 is capped at the
 * number of abstainers.
 */
import type { Ballots } from './candidates.ts';
import { AGE_BAND_COUNT, EDUCATION_COUNT } from './demographics.ts';
import type { Geography } from './geography.ts';
import { VOTE_METHODS } from './model.ts';
import { castOffset, type PollingDay } from './polling-day.ts';
import { type ChoiceTable, cellOffset } from './preferences.ts';
import { cumulative, deriveSeed, pickCumulative, Random, searchCumulative } from './random.ts';
import type { Scenario } from './scenarios.ts';
import type { VoterRegister } from './voters.ts';

/** What a record on the votes topic is, by the rules in truth.ts. */
export const VOTE_CATEGORIES = ['counted', 'repeat', 'unregistered_voter', 'unknown_candidate', 'malformed'] as const;
export type VoteCategory = (typeof VOTE_CATEGORIES)[number];

const COUNTED = 0;
const REPEAT = 1;
const UNREGISTERED = 2;
const UNKNOWN_CANDIDATE = 3;
const MALFORMED = 4;

/** Sort keys pack (offset ms, plan index) into one float64: 26 bits of index under 27 bits of offset. */
const INDEX_BITS = 2 ** 26;

export interface VotePlan {
  size: number;
  /** Register index; unregistered voters have indices from register.count up. */
  voter: Uint32Array;
  /** Candidate index; -1 - k for unknown candidate id k. */
  candidate: Int32Array;
  station: Uint32Array;
  method: Uint8Array;
  /** Milliseconds after the polls open. */
  offset: Uint32Array;
  category: Uint8Array;
  /** Plan indices in emission order: by offset, then plan index. */
  order: Uint32Array;
}

export interface PlanInputs {
  scenario: Scenario;
  seed: number;
  geography: Geography;
  ballots: Ballots;
  register: VoterRegister;
  turnout: Float64Array;
  choices: ChoiceTable;
  day: PollingDay;
  unknownCandidates: readonly string[];
}

class PlanBuilder {
  size = 0;
  voter: Uint32Array;
  candidate: Int32Array;
  station: Uint32Array;
  method: Uint8Array;
  offset: Uint32Array;
  category: Uint8Array;

  constructor(capacity: number) {
    this.voter = new Uint32Array(capacity);
    this.candidate = new Int32Array(capacity);
    this.station = new Uint32Array(capacity);
    this.method = new Uint8Array(capacity);
    this.offset = new Uint32Array(capacity);
    this.category = new Uint8Array(capacity);
  }

  push(voter: number, candidate: number, station: number, method: number, offset: number, category: number): void {
    const i = this.size++;
    this.voter[i] = voter;
    this.candidate[i] = candidate;
    this.station[i] = station;
    this.method[i] = method;
    this.offset[i] = offset;
    this.category[i] = category;
  }

  /** Copies into arrays of exactly `capacity`, keeping what was pushed. */
  grow(capacity: number): void {
    const copy = <T extends Uint32Array | Int32Array | Uint8Array>(from: T, to: T): T => {
      to.set(from.subarray(0, this.size));
      return to;
    };
    this.voter = copy(this.voter, new Uint32Array(capacity));
    this.candidate = copy(this.candidate, new Int32Array(capacity));
    this.station = copy(this.station, new Uint32Array(capacity));
    this.method = copy(this.method, new Uint8Array(capacity));
    this.offset = copy(this.offset, new Uint32Array(capacity));
    this.category = copy(this.category, new Uint8Array(capacity));
  }
}

export function planVotes(inputs: PlanInputs): VotePlan {
  const { scenario, seed, geography, ballots, register, turnout, choices, day } = inputs;
  const methodShares = cumulative(VOTE_METHODS.map((m) => scenario.methodShares[m]));
  const plan = new PlanBuilder(register.count);

  // 1. Counted votes.
  const random = new Random(deriveSeed(seed, 'turnout'));
  for (let i = 0; i < register.count; i++) {
    const c = register.constituency[i] ?? 0;
    const a = register.ageBand[i] ?? 0;
    const e = register.education[i] ?? 0;
    if (random.next() >= (turnout[(c * AGE_BAND_COUNT + a) * EDUCATION_COUNT + e] ?? 0)) continue;
    const method = pickCumulative(methodShares, random.next());
    const slot = pickCumulative(
      choices.shares,
      random.next(),
      cellOffset(c, a, e, register.income[i] ?? 0) * choices.width,
      ballots.ballotCount[c] ?? 1,
    );
    const offset = castOffset(day, VOTE_METHODS[method] ?? 'in_person', random);
    plan.push(i, (ballots.ballotFirst[c] ?? 0) + slot, register.station[i] ?? 0, method, offset, COUNTED);
  }

  const counted = plan.size;
  const share = (s: number) => Math.round(s * counted);
  const repeats = counted > 0 ? share(scenario.integrity.repeatVotes) : 0;
  const unregistered = share(scenario.integrity.unregisteredVoters);
  const malformed = share(scenario.integrity.malformed);
  const unknown = Math.min(share(scenario.integrity.unknownCandidates), register.count - counted);
  const total = counted + repeats + unregistered + unknown + malformed;
  if (total >= INDEX_BITS) throw new Error(`${total} vote records: more than the ${INDEX_BITS} one plan can order`);
  plan.grow(total);

  const stationIn = (c: number, r: Random) => {
    const place = geography.constituencies[c];
    return place ? place.firstStation + r.int(place.stationCount) : 0;
  };
  const onBallot = (c: number, r: Random) => (ballots.ballotFirst[c] ?? 0) + r.int(ballots.ballotCount[c] ?? 1);
  const someConstituency = (r: Random) => searchCumulative(geography.constituencyShares, r.next());
  const inPersonMostly = cumulative([0.75, 0.1, 0, 0.15]);

  // 2. Repeat votes: strictly after the voter's counted vote, so "first" is unambiguous in time and offset order.
  const repeat = new Random(deriveSeed(seed, 'repeat-votes'));
  for (let j = 0; j < repeats; j++) {
    const original = repeat.int(counted);
    const voter = plan.voter[original] ?? 0;
    const c = register.constituency[voter] ?? 0;
    const first = plan.offset[original] ?? 0;
    const offset = first + 1 + Math.floor(repeat.next() * (day.lengthMs - 1 - first));
    const candidate = repeat.chance(0.7) ? (plan.candidate[original] ?? 0) : onBallot(c, repeat);
    const station = repeat.chance(0.5) ? (register.station[voter] ?? 0) : stationIn(c, repeat);
    plan.push(voter, candidate, station, pickCumulative(inPersonMostly, repeat.next()), offset, REPEAT);
  }

  // 3. Unregistered voters: each a fresh id past the end of the register, at a real station and for a real candidate.
  const impostor = new Random(deriveSeed(seed, 'unregistered-voters'));
  for (let j = 0; j < unregistered; j++) {
    const c = someConstituency(impostor);
    const method = pickCumulative(inPersonMostly, impostor.next());
    const offset = castOffset(day, VOTE_METHODS[method] ?? 'in_person', impostor);
    plan.push(register.count + j, onBallot(c, impostor), stationIn(c, impostor), method, offset, UNREGISTERED);
  }

  // 4. Unknown candidates: spoiled ballots, each the only ballot of a distinct abstainer.
  const stray = new Random(deriveSeed(seed, 'unknown-candidate-votes'));
  const spoilers = pickAbstainers(plan.voter.subarray(0, counted), register.count, unknown, stray);
  for (const voter of spoilers) {
    const method = pickCumulative(methodShares, stray.next());
    const offset = castOffset(day, VOTE_METHODS[method] ?? 'in_person', stray);
    const candidate = -1 - stray.int(inputs.unknownCandidates.length);
    plan.push(voter, candidate, register.station[voter] ?? 0, method, offset, UNKNOWN_CANDIDATE);
  }

  // 5. Malformed: a plausible vote, damaged when built (malformed.ts).
  const broken = new Random(deriveSeed(seed, 'malformed-records'));
  for (let j = 0; j < malformed; j++) {
    const voter = broken.int(register.count);
    const c = register.constituency[voter] ?? 0;
    const method = pickCumulative(methodShares, broken.next());
    const offset = castOffset(day, VOTE_METHODS[method] ?? 'in_person', broken);
    plan.push(voter, onBallot(c, broken), register.station[voter] ?? 0, method, offset, MALFORMED);
  }

  const keys = new Float64Array(total);
  for (let p = 0; p < total; p++) keys[p] = (plan.offset[p] ?? 0) * INDEX_BITS + p;
  keys.sort();
  const order = new Uint32Array(total);
  for (let k = 0; k < total; k++) order[k] = (keys[k] ?? 0) % INDEX_BITS;

  return {
    size: total,
    voter: plan.voter,
    candidate: plan.candidate,
    station: plan.station,
    method: plan.method,
    offset: plan.offset,
    category: plan.category,
    order,
  };
}

/** `n` distinct register indices, in random order, of voters absent from `voted` (a partial Fisher-Yates shuffle). */
function pickAbstainers(voted: Uint32Array, registered: number, n: number, random: Random): Uint32Array {
  const hasVoted = new Uint8Array(registered);
  for (const v of voted) hasVoted[v] = 1;
  const abstainers = new Uint32Array(registered - voted.length);
  let a = 0;
  for (let i = 0; i < registered; i++) if (hasVoted[i] === 0) abstainers[a++] = i;
  for (let k = 0; k < n; k++) {
    const j = k + random.int(abstainers.length - k);
    const picked = abstainers[j] ?? 0;
    abstainers[j] = abstainers[k] ?? 0;
    abstainers[k] = picked;
  }
  return abstainers.subarray(0, n);
}
