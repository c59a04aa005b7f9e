/**
 * How voters choose. A party's appeal to a voter is a sum of log-odds: its
 * national support, a swing for the region and the constituency, the urbanity
 * of the place, and the voter's age, education and income against the
 * party's leanings. Appeals become shares by softmax over the candidates on
 * the voter's ballot. Shares are precomputed per (constituency, age band,
 * education, income) so choosing costs one uniform draw and a short scan.
 */
import type { Ballots } from './candidates.ts';
import {
  AGE_AXIS,
  AGE_BAND_COUNT,
  EDUCATION_AXIS,
  EDUCATION_COUNT,
  INCOME_AXIS,
  INCOME_COUNT,
} from './demographics.ts';
import type { Geography } from './geography.ts';
import { deriveSeed, Random } from './random.ts';

/** Extra log-odds of a regionalist party in its home regions. */
const HOME_ADVANTAGE = 1.9;
/** Spread of the regional and local swings (log-odds); regions differ more than neighbours. */
const REGION_SWING = 0.35;
const LOCAL_SWING = 0.2;

export interface ChoiceTable {
  /** Cumulative shares over each ballot, `width` slots per demographic cell. */
  shares: Float64Array;
  width: number;
}

export function choiceTable(geography: Geography, ballots: Ballots, seed: number): ChoiceTable {
  const random = new Random(deriveSeed(seed, 'preferences'));
  const partyCount = ballots.parties.length;
  const regionSwing = geography.regions.map(() =>
    Array.from({ length: partyCount }, () => REGION_SWING * random.normal()),
  );
  const width = Math.max(...ballots.ballotCount);
  const cells = AGE_BAND_COUNT * EDUCATION_COUNT * INCOME_COUNT;
  const shares = new Float64Array(geography.constituencies.length * cells * width);
  const appeal = new Float64Array(width);

  geography.constituencies.forEach((place, c) => {
    const first = ballots.ballotFirst[c] ?? 0;
    const count = ballots.ballotCount[c] ?? 0;
    // The place's part of each candidate's appeal, the same for every voter here.
    const placeAppeal = Array.from({ length: count }, (_, k) => {
      const p = ballots.candidateParty[first + k] ?? 0;
      const party = ballots.parties[p];
      if (!party) throw new Error(`candidate ${first + k} has no party`);
      const home = party.regionalist && ballots.homeRegion[place.regionIndex] ? HOME_ADVANTAGE : 0;
      return (
        Math.log(party.baseSupport) +
        (regionSwing[place.regionIndex]?.[p] ?? 0) +
        LOCAL_SWING * random.normal() +
        party.lean.urban * (2 * place.urbanity - 1) +
        home
      );
    });
    for (let a = 0; a < AGE_BAND_COUNT; a++) {
      for (let e = 0; e < EDUCATION_COUNT; e++) {
        for (let i = 0; i < INCOME_COUNT; i++) {
          let total = 0;
          for (let k = 0; k < count; k++) {
            const party = ballots.parties[ballots.candidateParty[first + k] ?? 0];
            if (!party) continue;
            const lean = party.lean;
            const u =
              (placeAppeal[k] ?? 0) +
              lean.age * (AGE_AXIS[a] ?? 0) +
              lean.education * (EDUCATION_AXIS[e] ?? 0) +
              lean.income * (INCOME_AXIS[i] ?? 0);
            appeal[k] = Math.exp(u);
            total += appeal[k] ?? 0;
          }
          const offset = cellOffset(c, a, e, i) * width;
          let running = 0;
          for (let k = 0; k < count; k++) {
            running += (appeal[k] ?? 0) / total;
            shares[offset + k] = k === count - 1 ? 1 : running;
          }
        }
      }
    }
  });
  return { shares, width };
}

/** Index of a demographic cell: constituency, age band, education, income. */
export function cellOffset(constituency: number, ageBand: number, education: number, income: number): number {
  return ((constituency * AGE_BAND_COUNT + ageBand) * EDUCATION_COUNT + education) * INCOME_COUNT + income;
}
