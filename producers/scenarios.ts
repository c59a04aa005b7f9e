/**
 * Scenarios: the size and shape of an election. A scenario plus a seed
 * determines every record.
 */
import { z } from 'zod';
import { ELECTION_KINDS, VOTE_METHODS } from './model.ts';
import { PARTIES } from './parties.ts';

export const LOCALES = ['en_GB', 'en_US', 'en_AU', 'de', 'fr'] as const;

const partyIds = PARTIES.map((p) => p.party_id) as [string, ...string[]];

/** Shares of integrity events, each as a fraction of the counted votes (see truth.ts). */
export const IntegritySharesSchema = z.strictObject({
  /** Extra valid votes by voters who already voted (the first one counts). */
  repeatVotes: z.number().min(0).max(1),
  /** Votes whose voter_id is on no register. */
  unregisteredVoters: z.number().min(0).max(1),
  /** Votes by registered voters for a candidate_id that does not exist. */
  unknownCandidates: z.number().min(0).max(1),
  /** Records on the votes topic that are not valid votes at all (bad JSON, wrong types, missing fields). */
  malformed: z.number().min(0).max(1),
});

export const ScenarioSchema = z
  .strictObject({
    name: z.string().min(1),
    kind: z.enum(ELECTION_KINDS),
    locale: z.enum(LOCALES),
    regions: z.number().int().min(1).max(99),
    constituencies: z.number().int().min(1).max(999),
    stationsPerConstituency: z.strictObject({ min: z.number().int().min(1), max: z.number().int().min(1) }),
    voters: z.number().int().min(1).max(20_000_000),
    /** Parties standing: in every constituency (parliamentary), or one national candidate each (presidential). */
    parties: z.array(z.enum(partyIds)).min(2),
    /** Polling day, in UTC so that hour windows on cast_at line up with the opening hours. */
    pollingDay: z.strictObject({
      date: z.iso.date(),
      opensHour: z.number().int().min(0).max(23),
      closesHour: z.number().int().min(1).max(24),
    }),
    /** Turnout of an average voter before the effects of age, education and place. */
    baseTurnout: z.number().gt(0).lt(1),
    methodShares: z.strictObject(
      Object.fromEntries(VOTE_METHODS.map((m) => [m, z.number().min(0)])) as {
        [K in (typeof VOTE_METHODS)[number]]: z.ZodNumber;
      },
    ),
    integrity: IntegritySharesSchema,
  })
  .refine((s) => s.constituencies >= s.regions, 'every region needs a constituency')
  .refine((s) => s.stationsPerConstituency.min <= s.stationsPerConstituency.max, 'stationsPerConstituency: min > max')
  .refine((s) => s.pollingDay.opensHour < s.pollingDay.closesHour, 'polls must open before they close')
  .refine((s) => Object.values(s.methodShares).some((v) => v > 0), 'methodShares are all zero')
  .refine((s) => new Set(s.parties).size === s.parties.length, 'a party is listed twice')
  .refine((s) => s.kind === 'presidential' || s.parties.some((p) => p !== 'RGA'), 'a national party must stand');

export type Scenario = z.infer<typeof ScenarioSchema>;
export type IntegrityShares = z.infer<typeof IntegritySharesSchema>;

const POLLING_DAY = { date: '2026-05-07', opensHour: 7, closesHour: 22 };
const METHOD_SHARES = { in_person: 0.68, postal: 0.2, early: 0.09, proxy: 0.03 };

export const SCENARIO_NAMES = ['small', 'national', 'presidential'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export const SCENARIOS: Readonly<Record<ScenarioName, Scenario>> = {
  /** For tests: fast to generate, yet large enough for every metric to have data. */
  small: {
    name: 'small',
    kind: 'parliamentary',
    locale: 'en_GB',
    regions: 3,
    constituencies: 10,
    stationsPerConstituency: { min: 2, max: 4 },
    voters: 5_000,
    parties: ['CPP', 'NHP', 'LRP', 'GRF'],
    pollingDay: POLLING_DAY,
    baseTurnout: 0.66,
    methodShares: METHOD_SHARES,
    // Higher than in real life so that a few thousand votes show every kind of event.
    integrity: { repeatVotes: 0.02, unregisteredVoters: 0.01, unknownCandidates: 0.01, malformed: 0.01 },
  },
  /** A parliamentary general election: first past the post in every constituency. */
  national: {
    name: 'national',
    kind: 'parliamentary',
    locale: 'en_GB',
    regions: 12,
    constituencies: 150,
    stationsPerConstituency: { min: 6, max: 14 },
    voters: 1_000_000,
    parties: ['CPP', 'NHP', 'LRP', 'GRF', 'WUP', 'RGA'],
    pollingDay: POLLING_DAY,
    baseTurnout: 0.66,
    methodShares: METHOD_SHARES,
    integrity: { repeatVotes: 0.004, unregisteredVoters: 0.002, unknownCandidates: 0.002, malformed: 0.001 },
  },
  /** A presidential election with a few national candidates, as in the original project. */
  presidential: {
    name: 'presidential',
    kind: 'presidential',
    locale: 'en_US',
    regions: 8,
    constituencies: 40,
    stationsPerConstituency: { min: 4, max: 8 },
    voters: 250_000,
    parties: ['CPP', 'NHP', 'LRP'],
    pollingDay: { date: '2026-11-03', opensHour: 7, closesHour: 20 },
    baseTurnout: 0.62,
    methodShares: { in_person: 0.6, postal: 0.22, early: 0.16, proxy: 0.02 },
    integrity: { repeatVotes: 0.004, unregisteredVoters: 0.002, unknownCandidates: 0.002, malformed: 0.001 },
  },
};

/** Fields a caller may override; nested objects are merged, not replaced. */
export type ScenarioOverrides = Partial<Omit<Scenario, 'integrity' | 'methodShares' | 'pollingDay'>> & {
  integrity?: Partial<IntegrityShares>;
  methodShares?: Partial<Scenario['methodShares']>;
  pollingDay?: Partial<Scenario['pollingDay']>;
};

/** A named scenario with overrides, validated. Throws with the reasons when the result is not a valid scenario. */
export function resolveScenario(name: ScenarioName | Scenario, overrides: ScenarioOverrides = {}): Scenario {
  const base: Scenario = typeof name === 'string' ? scenarioByName(name) : name;
  const merged = {
    ...base,
    ...overrides,
    parties: [...(overrides.parties ?? base.parties)],
    integrity: { ...base.integrity, ...overrides.integrity },
    methodShares: { ...base.methodShares, ...overrides.methodShares },
    pollingDay: { ...base.pollingDay, ...overrides.pollingDay },
    stationsPerConstituency: { ...base.stationsPerConstituency, ...overrides.stationsPerConstituency },
  };
  const parsed = ScenarioSchema.safeParse(merged);
  if (!parsed.success) throw new Error(`invalid scenario ${merged.name}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

function scenarioByName(name: string): Scenario {
  const known = SCENARIO_NAMES.find((n) => n === name);
  if (!known) throw new Error(`unknown scenario ${name}; known: ${SCENARIO_NAMES.join(', ')}`);
  return structuredClone(SCENARIOS[known]);
}
