/**
 * The electoral register. Its demographic columns are kept compactly (14 bytes
 * a voter: 14 MB for a million), because the vote plan and the truth read
 * them; names and registration times are made again on demand, since only the
 * voters topic needs them.
 */
import type { Faker } from '@faker-js/faker';
import {
  AGE_BAND_COUNT,
  AGE_BAND_SHARES,
  AGE_BANDS,
  EDUCATION_COUNT,
  educationTable,
  GENDER_SHARES,
  INCOME_COUNT,
  incomeTable,
} from './demographics.ts';
import { seededFaker } from './fakers.ts';
import type { Geography } from './geography.ts';
import { indexUuid } from './ids.ts';
import { EDUCATION_LEVELS, GENDERS, INCOME_BANDS, type KeyedRecord, type Voter } from './model.ts';
import { deriveSeed, hash32, pickCumulative, Random, searchCumulative } from './random.ts';
import type { Scenario } from './scenarios.ts';

const DAY_MS = 86_400_000;
/** Names are drawn by a faker reseeded every block, so any voter can be rebuilt without replaying the whole register. */
const NAME_BLOCK = 1024;
/** Registration closes this many days before polling day. */
const REGISTRATION_DEADLINE_DAYS = 12;

export interface VoterRegister {
  count: number;
  constituency: Uint16Array;
  station: Uint32Array;
  ageBand: Uint8Array;
  education: Uint8Array;
  income: Uint8Array;
  gender: Uint8Array;
  /** Date of birth, days since 1970-01-01 (negative before). */
  birthDay: Int32Array;
}

export interface VoterKeys {
  id: number;
  names: number;
  registration: number;
}

export function voterKeys(seed: number): VoterKeys {
  return {
    id: deriveSeed(seed, 'voter-ids'),
    names: deriveSeed(seed, 'voter-names'),
    registration: deriveSeed(seed, 'voter-registration'),
  };
}

/** The voter_id of register entry `index`. Indices from `count` up give ids on no register (unregistered voters). */
export function voterId(index: number, keys: VoterKeys): string {
  return indexUuid(index, keys.id);
}

/** Draws the register: where each voter is registered and who they are, demographically. */
export function generateRegister(scenario: Scenario, geography: Geography, seed: number): VoterRegister {
  const count = scenario.voters;
  const register: VoterRegister = {
    count,
    constituency: new Uint16Array(count),
    station: new Uint32Array(count),
    ageBand: new Uint8Array(count),
    education: new Uint8Array(count),
    income: new Uint8Array(count),
    gender: new Uint8Array(count),
    birthDay: new Int32Array(count),
  };
  const random = new Random(deriveSeed(seed, 'register'));
  const education = educationTable(geography);
  const income = incomeTable();
  const [pollYear, pollMonth, pollDate] = scenario.pollingDay.date.split('-').map(Number) as [number, number, number];
  const constituencies = geography.constituencies;

  for (let i = 0; i < count; i++) {
    const c = searchCumulative(geography.constituencyShares, random.next());
    const place = constituencies[c];
    if (!place) throw new Error(`constituency ${c} out of range`);
    const a = pickCumulative(AGE_BAND_SHARES, random.next());
    const e = pickCumulative(education, random.next(), (c * AGE_BAND_COUNT + a) * EDUCATION_COUNT, EDUCATION_COUNT);
    const band = AGE_BANDS[a] ?? AGE_BANDS[0];
    // The oldest band thins out with age.
    const spread = band[1] - band[0] + 1;
    const age = band[0] + Math.floor((a === AGE_BAND_COUNT - 1 ? random.next() ** 1.6 : random.next()) * spread);
    // Born `age` years before polling day, minus up to 364 days: exactly `age` on polling day.
    const birthday = Date.UTC(pollYear - age, pollMonth - 1, pollDate) / DAY_MS - random.int(365);

    register.constituency[i] = c;
    register.station[i] = place.firstStation + pickCumulative(place.stationShares, random.next());
    register.ageBand[i] = a;
    register.education[i] = e;
    register.income[i] = pickCumulative(income, random.next(), (a * EDUCATION_COUNT + e) * INCOME_COUNT, INCOME_COUNT);
    register.gender[i] = pickCumulative(GENDER_SHARES, random.next());
    register.birthDay[i] = birthday;
  }
  return register;
}

/** Builds voter records from the register, in register order. */
export class VoterRecords {
  private readonly pollingDayStart: number;

  constructor(
    private readonly register: VoterRegister,
    private readonly geography: Geography,
    private readonly keys: VoterKeys,
    private readonly scenario: Scenario,
  ) {
    this.pollingDayStart = Date.parse(`${scenario.pollingDay.date}T00:00:00Z`);
  }

  /** Voters [from, to) as keyed records. Sequential reading is the fast path. */
  *range(from = 0, to = this.register.count): Generator<KeyedRecord<Voter>> {
    const end = Math.min(to, this.register.count);
    let i = Math.max(0, from);
    // Each reader has its own faker, so interleaved readers do not disturb one another.
    const faker = this.namesFakerAt(i);
    for (; i < end; i++) {
      if (i % NAME_BLOCK === 0) faker.seed(hash32(i / NAME_BLOCK, this.keys.names));
      const value = this.build(faker, i);
      yield { key: value.voter_id, value };
    }
  }

  /** One voter, at random access (replays at most one name block). */
  at(index: number): Voter {
    if (!(index >= 0 && index < this.register.count)) throw new RangeError(`voter ${index} not on the register`);
    return this.build(this.namesFakerAt(index), index);
  }

  /** A name faker standing where it does just before voter `index`. */
  private namesFakerAt(index: number): Faker {
    const blockStart = index - (index % NAME_BLOCK);
    const faker = seededFaker(this.scenario.locale, hash32(blockStart / NAME_BLOCK, this.keys.names));
    for (let j = blockStart; j < index; j++) this.drawName(faker, j);
    return faker;
  }

  private drawName(faker: Faker, index: number): string {
    const gender = GENDERS[this.register.gender[index] ?? 0];
    const first = gender === 'female' || gender === 'male' ? faker.person.firstName(gender) : faker.person.firstName();
    return `${first} ${faker.person.lastName()}`;
  }

  private build(faker: Faker, index: number): Voter {
    const r = this.register;
    const constituency = this.geography.constituencies[r.constituency[index] ?? 0];
    const station = this.geography.pollingStations[r.station[index] ?? 0];
    if (!constituency || !station) throw new Error(`voter ${index} refers to a missing place`);
    const birthMs = (r.birthDay[index] ?? 0) * DAY_MS;
    return {
      voter_id: voterId(index, this.keys),
      name: this.drawName(faker, index),
      date_of_birth: new Date(birthMs).toISOString().slice(0, 10),
      gender: GENDERS[r.gender[index] ?? 0] ?? 'female',
      education: EDUCATION_LEVELS[r.education[index] ?? 0] ?? 'secondary',
      income_band: INCOME_BANDS[r.income[index] ?? 0] ?? 'middle',
      constituency_id: constituency.record.constituency_id,
      region_id: constituency.record.region_id,
      polling_station_id: station.polling_station_id,
      registered_at: this.registeredAt(index, birthMs),
    };
  }

  /**
   * When the voter joined the register: most long ago (from their 18th
   * birthday, at most 12 years back), a third in the surge of the last four
   * months before the deadline.
   */
  private registeredAt(index: number, birthMs: number): number {
    const deadline = this.pollingDayStart - REGISTRATION_DEADLINE_DAYS * DAY_MS;
    const adult = birthMs + Math.round(18 * 365.25 * DAY_MS);
    const u = hash32(index, this.keys.registration) / 4294967296;
    const v = hash32(index, this.keys.registration ^ 0x68e31da4) / 4294967296;
    const surgeStart = deadline - 120 * DAY_MS;
    let earliest = Math.max(adult, this.pollingDayStart - 12 * 365 * DAY_MS);
    if (v < 0.33 || earliest >= deadline) earliest = Math.max(Math.min(earliest, deadline - DAY_MS), surgeStart);
    return earliest + Math.floor(u * (deadline - earliest));
  }
}
