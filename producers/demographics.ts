/**
 * The population: age, gender, education and income, with the correlations
 * of a real electorate. Education depends on age (younger cohorts hold more
 * degrees) and on how urban the constituency is; income depends on education
 * and age (students and pensioners earn less).
 *
 * Categories are stored as small integers indexing the model's enums.
 */
import type { Geography } from './geography.ts';
import { EDUCATION_LEVELS, GENDERS, INCOME_BANDS } from './model.ts';
import { cumulative } from './random.ts';

/** Inclusive age ranges of the bands used by the behaviour model. */
export const AGE_BANDS = [
  [18, 24],
  [25, 34],
  [35, 44],
  [45, 54],
  [55, 64],
  [65, 74],
  [75, 95],
] as const;

/** Adult population by age band, roughly a European electorate. */
export const AGE_BAND_SHARES = cumulative([0.11, 0.17, 0.16, 0.17, 0.16, 0.12, 0.11]);

export const GENDER_SHARES = cumulative([0.505, 0.485, 0.01]);

/** Education by age band, columns in EDUCATION_LEVELS order (percent). */
const EDUCATION_BY_AGE = [
  [6, 52, 14, 25, 3],
  [5, 33, 17, 33, 12],
  [7, 33, 18, 30, 12],
  [10, 38, 20, 24, 8],
  [14, 40, 21, 18, 7],
  [20, 40, 20, 14, 6],
  [30, 40, 16, 10, 4],
];

/** Income by education, columns in INCOME_BANDS order (percent). */
const INCOME_BY_EDUCATION = [
  [45, 32, 16, 6, 1],
  [28, 34, 25, 10, 3],
  [18, 32, 32, 14, 4],
  [10, 22, 34, 24, 10],
  [6, 14, 30, 30, 20],
];

/** Multipliers on INCOME_BY_EDUCATION by age band: careers start low, pensions are lower. */
const INCOME_AGE_FACTOR = [
  [1.8, 1.3, 0.8, 0.4, 0.2],
  [1.2, 1.1, 1, 0.8, 0.6],
  [0.9, 1, 1, 1.1, 1.2],
  [0.9, 1, 1, 1.1, 1.2],
  [1, 1, 1, 1, 1],
  [1.4, 1.2, 0.9, 0.7, 0.6],
  [1.6, 1.3, 0.8, 0.6, 0.5],
];

/**
 * Centred traits (-1..1) for the behaviour model: where a category sits on
 * its axis. Indexed like AGE_BANDS, EDUCATION_LEVELS and INCOME_BANDS.
 */
export const AGE_AXIS = [-1, -0.66, -0.33, 0, 0.33, 0.66, 1];
export const EDUCATION_AXIS = [-1, -0.5, -0.1, 0.5, 1];
export const INCOME_AXIS = [-1, -0.5, 0, 0.5, 1];

export const AGE_BAND_COUNT = AGE_BANDS.length;
export const EDUCATION_COUNT = EDUCATION_LEVELS.length;
export const INCOME_COUNT = INCOME_BANDS.length;
export const GENDER_COUNT = GENDERS.length;

/**
 * Cumulative education shares per (constituency, age band), flattened:
 * offset ((constituency * AGE_BAND_COUNT) + ageBand) * EDUCATION_COUNT.
 * Urban places have more graduates and fewer people without qualifications.
 */
export function educationTable(geography: Geography): Float64Array {
  const table = new Float64Array(geography.constituencies.length * AGE_BAND_COUNT * EDUCATION_COUNT);
  geography.constituencies.forEach((place, c) => {
    const degreeFactor = 0.7 + 0.6 * place.urbanity;
    const noneFactor = 1.3 - 0.6 * place.urbanity;
    EDUCATION_BY_AGE.forEach((row, a) => {
      const weights = row.map((w, e) => (e === 0 ? w * noneFactor : e >= 3 ? w * degreeFactor : w));
      table.set(cumulative(weights), (c * AGE_BAND_COUNT + a) * EDUCATION_COUNT);
    });
  });
  return table;
}

/** Cumulative income shares per (age band, education): offset ((ageBand * EDUCATION_COUNT) + education) * INCOME_COUNT. */
export function incomeTable(): Float64Array {
  const table = new Float64Array(AGE_BAND_COUNT * EDUCATION_COUNT * INCOME_COUNT);
  for (let a = 0; a < AGE_BAND_COUNT; a++) {
    const factors = INCOME_AGE_FACTOR[a] ?? [];
    for (let e = 0; e < EDUCATION_COUNT; e++) {
      const weights = (INCOME_BY_EDUCATION[e] ?? []).map((w, i) => w * (factors[i] ?? 1));
      table.set(cumulative(weights), (a * EDUCATION_COUNT + e) * INCOME_COUNT);
    }
  }
  return table;
}
