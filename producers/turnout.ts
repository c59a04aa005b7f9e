/**
 * Who votes. The chance of voting is logistic: the scenario's base turnout,
 * shifted by region and constituency, and by age and education as surveys
 * find (older and more educated people vote more).
 */
import { AGE_BAND_COUNT, EDUCATION_COUNT } from './demographics.ts';
import type { Geography } from './geography.ts';

/** Log-odds by age band (AGE_BANDS order). */
const AGE_EFFECT = [-0.75, -0.45, -0.15, 0.05, 0.3, 0.55, 0.35];
/** Log-odds by education (EDUCATION_LEVELS order). */
const EDUCATION_EFFECT = [-0.4, -0.15, 0, 0.3, 0.45];

/** Probability of voting per (constituency, age band, education): offset (c * AGE_BAND_COUNT + a) * EDUCATION_COUNT + e. */
export function turnoutTable(geography: Geography, baseTurnout: number): Float64Array {
  const table = new Float64Array(geography.constituencies.length * AGE_BAND_COUNT * EDUCATION_COUNT);
  const base = Math.log(baseTurnout / (1 - baseTurnout));
  geography.constituencies.forEach((place, c) => {
    const region = geography.regions[place.regionIndex];
    const local = base + (region?.turnoutBias ?? 0) + place.turnoutBias;
    for (let a = 0; a < AGE_BAND_COUNT; a++) {
      for (let e = 0; e < EDUCATION_COUNT; e++) {
        const logit = local + (AGE_EFFECT[a] ?? 0) + (EDUCATION_EFFECT[e] ?? 0);
        table[(c * AGE_BAND_COUNT + a) * EDUCATION_COUNT + e] = 1 / (1 + Math.exp(-logit));
      }
    }
  });
  return table;
}
