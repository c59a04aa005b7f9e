/**
 * Who stands where. Parliamentary: one candidate per standing party in each
 * constituency (a regionalist party only in its home regions). Presidential:
 * one national candidate per party, on every ballot.
 */
import { avatarDataUri } from './avatar.ts';
import { seededFaker } from './fakers.ts';
import type { Geography } from './geography.ts';
import { constituencyCandidateId, nationalCandidateId } from './ids.ts';
import type { Candidate } from './model.ts';
import { type PartyProfile, partyProfile } from './parties.ts';
import { deriveSeed, hash32, Random } from './random.ts';
import type { Scenario } from './scenarios.ts';

export interface Ballots {
  /** Standing parties, in scenario order; `partyIndex` below indexes this. */
  parties: PartyProfile[];
  /** Per region: whether the regionalist party (if any) is at home there. */
  homeRegion: boolean[];
  candidates: Candidate[];
  /** Per candidate: index into `parties`. */
  candidateParty: Uint8Array;
  /** Per constituency: its ballot is candidates[first, first + count). */
  ballotFirst: Uint32Array;
  ballotCount: Uint8Array;
}

export function generateBallots(scenario: Scenario, geography: Geography, seed: number): Ballots {
  const random = new Random(deriveSeed(seed, 'ballots'));
  const faker = seededFaker(scenario.locale, deriveSeed(seed, 'candidate-names'));
  const avatarKey = deriveSeed(seed, 'avatars');
  const parties = scenario.parties.map(partyProfile);
  const homeCount = Math.max(1, Math.round(geography.regions.length / 6));
  const homeRegion = pickSome(random, geography.regions.length, homeCount);

  const candidates: Candidate[] = [];
  const candidateParty: number[] = [];
  const ballotFirst = new Uint32Array(geography.constituencies.length);
  const ballotCount = new Uint8Array(geography.constituencies.length);

  const stand = (party: PartyProfile, partyIndex: number, place: { constituency: string; region: string } | null) => {
    const candidate_id = place
      ? constituencyCandidateId(place.constituency, party.party_id)
      : nationalCandidateId(party.party_id);
    const presentation = random.chance(0.5) ? 'female' : 'male';
    candidates.push({
      candidate_id,
      name: `${faker.person.firstName(presentation)} ${faker.person.lastName()}`,
      party_id: party.party_id,
      party_name: party.name,
      constituency_id: place?.constituency ?? null,
      region_id: place?.region ?? null,
      photo: avatarDataUri({ seed: hash32(candidates.length, avatarKey), partyColor: party.color, presentation }),
    });
    candidateParty.push(partyIndex);
  };

  if (scenario.kind === 'presidential') {
    for (const [p, party] of parties.entries()) stand(party, p, null);
    ballotCount.fill(parties.length);
  } else {
    geography.constituencies.forEach((constituency, c) => {
      ballotFirst[c] = candidates.length;
      parties.forEach((party, p) => {
        if (party.regionalist && !homeRegion[constituency.regionIndex]) return;
        stand(party, p, { constituency: constituency.record.constituency_id, region: constituency.record.region_id });
      });
      ballotCount[c] = candidates.length - (ballotFirst[c] ?? 0);
    });
  }
  return { parties, homeRegion, candidates, candidateParty: Uint8Array.from(candidateParty), ballotFirst, ballotCount };
}

/**
 * Candidate ids that look real but are on no ballot: an independent who never
 * registered, a party that does not stand there, an id typed in lower case.
 * Votes for them are the "unknown candidate" integrity events.
 */
export function unknownCandidateIds(ballots: Ballots, geography: Geography, seed: number, count = 12): string[] {
  const random = new Random(deriveSeed(seed, 'unknown-candidates'));
  const known = new Set(ballots.candidates.map((c) => c.candidate_id));
  const unknown = new Set<string>();
  const national = ballots.candidates.every((c) => c.constituency_id === null);
  for (let attempt = 0; unknown.size < count && attempt < count * 50; attempt++) {
    const constituency = random.pick(geography.constituencies).record.constituency_id;
    const variant = random.int(3);
    const id =
      variant === 0
        ? national
          ? nationalCandidateId(`IN${String.fromCharCode(65 + random.int(26))}`)
          : constituencyCandidateId(constituency, 'IND')
        : variant === 1
          ? national
            ? nationalCandidateId(random.pick(['WUP', 'GRF', 'RGA', 'XYZ']))
            : constituencyCandidateId(constituency, random.pick(['WUP', 'RGA', 'XYZ', 'NUP']))
          : random.pick(ballots.candidates).candidate_id.toLowerCase();
    if (!known.has(id)) unknown.add(id);
  }
  if (unknown.size === 0) throw new Error('could not make an unknown candidate id');
  return [...unknown];
}

function pickSome(random: Random, n: number, k: number): boolean[] {
  const chosen = new Array<boolean>(n).fill(false);
  let left = Math.min(k, n);
  while (left > 0) {
    const i = random.int(n);
    if (!chosen[i]) {
      chosen[i] = true;
      left--;
    }
  }
  return chosen;
}
