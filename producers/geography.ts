/**
 * Regions, constituencies and polling stations, with the hidden traits that
 * make places differ: population, urbanity (which shifts education and party
 * support) and a turnout bias.
 */
import { seededFaker, uniqueName } from './fakers.ts';
import { constituencyId, pollingStationId, regionId } from './ids.ts';
import type { Constituency, PollingStation, Region } from './model.ts';
import { cumulative, deriveSeed, Random } from './random.ts';
import type { Scenario } from './scenarios.ts';

export interface RegionPlace {
  record: Region;
  /** 0 (rural) .. 1 (metropolitan). */
  urbanity: number;
  /** Log-odds added to every voter's turnout in the region. */
  turnoutBias: number;
}

export interface ConstituencyPlace {
  record: Constituency;
  regionIndex: number;
  urbanity: number;
  turnoutBias: number;
  /** Relative size of the electorate; boundaries keep these within about ±25%. */
  electorateWeight: number;
  /** Polling stations of this constituency are pollingStations[firstStation, firstStation + stationCount). */
  firstStation: number;
  stationCount: number;
  /** Cumulative share of the constituency's voters registered at each of its stations. */
  stationShares: Float64Array;
}

export interface Geography {
  regions: RegionPlace[];
  constituencies: ConstituencyPlace[];
  pollingStations: PollingStation[];
  /** Cumulative share of all voters registered in each constituency. */
  constituencyShares: Float64Array;
}

const COMPASS = ['North', 'South', 'East', 'West', 'Central', 'Upper', 'Lower'];
const STATION_KINDS = [
  'Primary School',
  'Community Centre',
  'Library',
  'Village Hall',
  'Church Hall',
  'Leisure Centre',
  'Methodist Hall',
  'Sports Club',
];

export function generateGeography(scenario: Scenario, seed: number): Geography {
  const random = new Random(deriveSeed(seed, 'geography'));
  const faker = seededFaker(scenario.locale, deriveSeed(seed, 'geography-names'));
  const regionNames = new Set<string>();
  const placeNames = new Set<string>();

  // Region sizes are skewed (log-normal); the largest is the most urban, like a capital.
  const population = Array.from({ length: scenario.regions }, () => Math.exp(0.5 * random.normal()));
  const capital = population.indexOf(Math.max(...population));
  const regions: RegionPlace[] = population.map((_, r) => ({
    record: {
      region_id: regionId(r),
      name: uniqueName(() => regionName(faker, scenario.locale), regionNames, COMPASS),
    },
    urbanity: r === capital ? 0.9 : 0.2 + 0.55 * random.next(),
    turnoutBias: 0.15 * random.normal(),
  }));

  const perRegion = apportion(population, scenario.constituencies);
  const constituencies: ConstituencyPlace[] = [];
  const pollingStations: PollingStation[] = [];
  perRegion.forEach((count, r) => {
    const region = regions[r];
    if (!region) return;
    for (let k = 0; k < count; k++) {
      const index = constituencies.length;
      const town = uniqueName(() => faker.location.city(), placeNames, COMPASS);
      const name = random.chance(0.3) ? `${town} ${random.pick(COMPASS)}` : town;
      const stationCount = random.between(scenario.stationsPerConstituency.min, scenario.stationsPerConstituency.max);
      const firstStation = pollingStations.length;
      const constituency_id = constituencyId(index);
      for (let s = 0; s < stationCount; s++) {
        const street = faker.location.street();
        pollingStations.push({
          polling_station_id: pollingStationId(firstStation + s),
          name: `${street} ${random.pick(STATION_KINDS)}`,
          address: `${faker.location.buildingNumber()} ${street}, ${town}`,
          constituency_id,
          region_id: region.record.region_id,
        });
      }
      constituencies.push({
        record: { constituency_id, name, region_id: region.record.region_id },
        regionIndex: r,
        urbanity: clamp(region.urbanity + 0.15 * random.normal(), 0.02, 0.98),
        turnoutBias: 0.1 * random.normal(),
        electorateWeight: clamp(1 + 0.12 * random.normal(), 0.75, 1.25),
        firstStation,
        stationCount,
        stationShares: cumulative(Array.from({ length: stationCount }, () => 0.5 + random.next())),
      });
    }
  });

  // A region's constituencies hold its population share, split by their electorate weights.
  const weights = constituencies.map((c) => {
    const regionTotal = constituencies
      .filter((o) => o.regionIndex === c.regionIndex)
      .reduce((sum, o) => sum + o.electorateWeight, 0);
    return ((population[c.regionIndex] ?? 0) * c.electorateWeight) / regionTotal;
  });
  return { regions, constituencies, pollingStations, constituencyShares: cumulative(weights) };
}

function regionName(faker: ReturnType<typeof seededFaker>, locale: Scenario['locale']): string {
  return locale === 'en_GB' ? faker.location.county() : faker.location.state();
}

/** Splits `total` seats over weights by largest remainder, at least one each. */
export function apportion(weights: readonly number[], total: number): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const spare = total - weights.length;
  const exact = weights.map((w) => (w / sum) * spare);
  const counts = exact.map((x) => 1 + Math.floor(x));
  let left = total - counts.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left <= 0) break;
    counts[i] = (counts[i] ?? 0) + 1;
    left--;
  }
  return counts;
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
