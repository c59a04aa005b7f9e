/**
 * The fictional parties and how their support leans. Preferences (preferences.ts)
 * turn these leanings into vote shares that vary by place and by voter, so that
 * regions, ages, education levels and income bands differ as they do in real
 * elections.
 */
import type { Party } from './model.ts';

export interface PartyProfile extends Party {
  /** Share of the vote the party would get from an average voter everywhere. */
  baseSupport: number;
  /** Lean on each axis, about -1..1 (log-odds per unit of the centred trait). */
  lean: {
    urban: number;
    age: number;
    education: number;
    income: number;
  };
  /** A regionalist party stands only in its home regions, and is strong there. */
  regionalist: boolean;
}

export const PARTIES: readonly PartyProfile[] = [
  {
    party_id: 'CPP',
    name: 'Civic Progress Party',
    color: '#d62839',
    baseSupport: 0.3,
    lean: { urban: 0.6, age: -0.3, education: 0.3, income: -0.4 },
    regionalist: false,
  },
  {
    party_id: 'NHP',
    name: 'National Heritage Party',
    color: '#1d4e89',
    baseSupport: 0.3,
    lean: { urban: -0.9, age: 0.8, education: -0.4, income: 0.4 },
    regionalist: false,
  },
  {
    party_id: 'LRP',
    name: 'Liberal Reform Party',
    color: '#f4a259',
    baseSupport: 0.13,
    lean: { urban: 0.2, age: 0, education: 0.7, income: 0.5 },
    regionalist: false,
  },
  {
    party_id: 'GRF',
    name: 'Green Future',
    color: '#3a9d23',
    baseSupport: 0.09,
    lean: { urban: 0.8, age: -1, education: 0.6, income: -0.1 },
    regionalist: false,
  },
  {
    party_id: 'WUP',
    name: "Workers' Union Party",
    color: '#8e1c58',
    baseSupport: 0.1,
    lean: { urban: 0.1, age: 0.2, education: -0.7, income: -0.9 },
    regionalist: false,
  },
  {
    party_id: 'RGA',
    name: 'Regional Alliance',
    color: '#f2c14e',
    baseSupport: 0.08,
    lean: { urban: -0.3, age: 0.1, education: 0, income: 0 },
    regionalist: true,
  },
];

export function partyProfile(partyId: string): PartyProfile {
  const party = PARTIES.find((p) => p.party_id === partyId);
  if (!party) throw new Error(`unknown party ${partyId}; known: ${PARTIES.map((p) => p.party_id).join(', ')}`);
  return party;
}

/** The public record of a party (its profile without the model's internals). */
export function partyRecord(profile: PartyProfile): Party {
  return { party_id: profile.party_id, name: profile.name, color: profile.color };
}
