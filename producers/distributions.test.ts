/**
 * The generated election looks like one: method mix, the shape of polling
 * day, regional and demographic differences, plausible people.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createElection, type Vote, type Voter } from './index.ts';

const HOUR = 3_600_000;
const election = createElection({ scenario: 'national', seed: 2026, overrides: { voters: 100_000 } });
const voters = new Map<string, Voter>([...election.voters()].map(({ key, value }) => [key, value]));
const counted: Vote[] = [];
const all: Vote[] = [];
for (const event of election.votes()) {
  if (event.kind !== 'vote') continue;
  all.push(event.value);
  if (event.category === 'counted') counted.push(event.value);
}

function shares<T>(items: readonly T[], keyOf: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[keyOf(item)] = (counts[keyOf(item)] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).map(([k, n]) => [k, n / items.length]));
}

const voterOf = (vote: Vote): Voter => {
  const voter = voters.get(vote.voter_id);
  assert.ok(voter, `counted vote by unknown voter ${vote.voter_id}`);
  return voter;
};
const partyOf = new Map(election.candidates.map((c) => [c.candidate_id, c.party_id]));
const pollingDate = new Date(election.polling.opens_at).toISOString().slice(0, 10);
/** Age in whole years on polling day, by the calendar. */
const ageOnPollingDay = (voter: Voter) => {
  const years = Number(pollingDate.slice(0, 4)) - Number(voter.date_of_birth.slice(0, 4));
  return pollingDate.slice(5) < voter.date_of_birth.slice(5) ? years - 1 : years;
};

describe('votes', () => {
  test('methods follow the configured mix within 1 point', () => {
    const mix = shares(counted, (v) => v.method);
    for (const [method, expected] of Object.entries(election.scenario.methodShares)) {
      assert.ok(Math.abs((mix[method] ?? 0) - expected) < 0.01, `${method}: ${mix[method]} vs ${expected}`);
    }
  });

  test('every vote is cast while the polls are open, and the stream is in cast_at order', () => {
    let previous = 0;
    for (const event of election.votes()) {
      assert.ok(event.timestamp >= previous, 'out of order');
      previous = event.timestamp;
      assert.ok(event.timestamp >= election.polling.opens_at && event.timestamp < election.polling.closes_at);
      if (event.kind === 'vote') assert.equal(event.value.cast_at, event.timestamp);
    }
  });

  test('in-person turnout peaks before work and after work, and dips mid-afternoon', () => {
    const inPerson = counted.filter((v) => v.method === 'in_person');
    const byHour = new Map<number, number>();
    for (const v of inPerson) {
      const hour = new Date(Math.floor(v.cast_at / HOUR) * HOUR).getUTCHours();
      byHour.set(hour, (byHour.get(hour) ?? 0) + 1);
    }
    const at = (h: number) => byHour.get(h) ?? 0;
    const busiest = [...byHour.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
    assert.ok(busiest !== undefined && [7, 8, 9, 17, 18, 19].includes(busiest), `busiest hour ${busiest}`);
    assert.ok(at(8) > 1.4 * at(15), `08:00 ${at(8)} vs 15:00 ${at(15)}`);
    assert.ok(at(18) > 1.6 * at(15), `18:00 ${at(18)} vs 15:00 ${at(15)}`);
    assert.ok(at(12) > at(15), 'a lunchtime bump');
  });

  test('postal ballots enter the count at a steady pace', () => {
    const postal = counted.filter((v) => v.method === 'postal');
    const byHour = Object.values(shares(postal, (v) => String(Math.floor(v.cast_at / HOUR))));
    assert.equal(byHour.length, 15);
    assert.ok(Math.max(...byHour) / Math.min(...byHour) < 1.3);
  });

  test('turnout is plausible and differs between constituencies', () => {
    const truth = election.truth();
    assert.ok(truth.totals.turnout > 0.5 && truth.totals.turnout < 0.8, `${truth.totals.turnout}`);
    const byConstituency = Object.values(truth.turnout.by_constituency).map((t) => t.turnout);
    assert.ok(Math.max(...byConstituency) - Math.min(...byConstituency) > 0.1);
  });

  test('older and more educated people vote more', () => {
    const votedIds = new Set(counted.map((v) => v.voter_id));
    const turnoutOf = (pick: (v: Voter) => boolean) => {
      const group = [...voters.values()].filter(pick);
      return group.filter((v) => votedIds.has(v.voter_id)).length / group.length;
    };
    assert.ok(turnoutOf((v) => ageOnPollingDay(v) >= 65) > turnoutOf((v) => ageOnPollingDay(v) < 25) + 0.15);
    assert.ok(turnoutOf((v) => v.education === 'postgraduate') > turnoutOf((v) => v.education === 'no_qualifications'));
  });

  test('regions differ in party shares', () => {
    const perRegion = new Map<string, Vote[]>();
    for (const v of counted) {
      const region = voterOf(v).region_id;
      const list = perRegion.get(region) ?? [];
      list.push(v);
      perRegion.set(region, list);
    }
    assert.equal(perRegion.size, 12);
    let widest = 0;
    for (const party of ['CPP', 'NHP', 'LRP', 'GRF', 'WUP']) {
      const regionShares = [...perRegion.values()].map(
        (vs) => shares(vs, (v) => partyOf.get(v.candidate_id) ?? '')[party] ?? 0,
      );
      widest = Math.max(widest, Math.max(...regionShares) - Math.min(...regionShares));
    }
    assert.ok(widest > 0.1, `widest regional spread ${widest}`);
  });

  test('the regionalist party stands, and wins votes, only in its home regions', () => {
    const rga = election.candidates.filter((c) => c.party_id === 'RGA');
    const homes = new Set(rga.map((c) => c.region_id));
    assert.ok(rga.length > 0 && homes.size >= 1 && homes.size < 12);
    for (const v of counted) {
      if (partyOf.get(v.candidate_id) === 'RGA') assert.ok(homes.has(voterOf(v).region_id));
    }
  });

  test('party choice follows demographics', () => {
    const partyShareAmong = (party: string, pick: (v: Voter) => boolean) => {
      const group = counted.filter((v) => pick(voterOf(v)));
      return group.filter((v) => partyOf.get(v.candidate_id) === party).length / group.length;
    };
    const young = (v: Voter) => ageOnPollingDay(v) < 30;
    const old = (v: Voter) => ageOnPollingDay(v) >= 65;
    assert.ok(partyShareAmong('GRF', young) > 2 * partyShareAmong('GRF', old));
    assert.ok(partyShareAmong('NHP', old) > 1.5 * partyShareAmong('NHP', young));
    const poor = (v: Voter) => v.income_band === 'low';
    const rich = (v: Voter) => v.income_band === 'high';
    assert.ok(partyShareAmong('WUP', poor) > 2 * partyShareAmong('WUP', rich));
  });

  test('voters vote at their own polling station, for a candidate on their ballot', () => {
    for (const v of counted) {
      const voter = voterOf(v);
      assert.equal(v.polling_station_id, voter.polling_station_id);
      assert.ok(
        v.candidate_id.startsWith(`${voter.constituency_id}-`),
        `${v.candidate_id} in ${voter.constituency_id}`,
      );
    }
  });
});

describe('voters', () => {
  const people = [...voters.values()];

  test('are adults on polling day, and no older than 96', () => {
    for (const v of people) {
      const age = ageOnPollingDay(v);
      assert.ok(age >= 18 && age <= 96, `${v.date_of_birth}: ${age}`);
    }
  });

  test('registered before the polls opened, most of them long before', () => {
    const deadline = election.polling.opens_at - 12 * 86_400_000;
    for (const v of people) assert.ok(v.registered_at < deadline, `${v.registered_at}`);
    const lastYear = people.filter((v) => v.registered_at > deadline - 365 * 86_400_000).length / people.length;
    assert.ok(lastYear > 0.2 && lastYear < 0.6, `${lastYear}`);
  });

  test('gender is about even', () => {
    const g = shares(people, (v) => v.gender);
    assert.ok(Math.abs((g.female ?? 0) - 0.505) < 0.01 && Math.abs((g.male ?? 0) - 0.485) < 0.01, JSON.stringify(g));
    assert.ok((g.non_binary ?? 0) > 0);
  });

  test('younger cohorts hold more degrees', () => {
    const degree = (pick: (v: Voter) => boolean) => {
      const group = people.filter(pick);
      return group.filter((v) => v.education === 'bachelor' || v.education === 'postgraduate').length / group.length;
    };
    const a = ageOnPollingDay;
    assert.ok(degree((v) => a(v) >= 25 && a(v) < 45) > degree((v) => a(v) >= 75) + 0.2);
  });

  test('more education, more income', () => {
    const wellOff = (education: string) => {
      const group = people.filter((v) => v.education === education);
      return group.filter((v) => v.income_band === 'upper_middle' || v.income_band === 'high').length / group.length;
    };
    assert.ok(wellOff('postgraduate') > wellOff('no_qualifications') + 0.25);
    assert.ok(wellOff('bachelor') > wellOff('secondary'));
  });

  test('urban regions are more educated', () => {
    const degreeShare = new Map<string, number>();
    for (const region of election.regions) {
      const group = people.filter((v) => v.region_id === region.region_id);
      degreeShare.set(
        region.region_id,
        group.filter((v) => v.education === 'bachelor' || v.education === 'postgraduate').length / group.length,
      );
    }
    const values = [...degreeShare.values()];
    assert.ok(Math.max(...values) - Math.min(...values) > 0.05, JSON.stringify([...degreeShare]));
  });

  test('are registered at a polling station of their constituency and region', () => {
    const stations = new Map(election.pollingStations.map((s) => [s.polling_station_id, s]));
    const constituencies = new Map(election.constituencies.map((c) => [c.constituency_id, c]));
    for (const v of people) {
      const station = stations.get(v.polling_station_id);
      assert.equal(station?.constituency_id, v.constituency_id);
      assert.equal(constituencies.get(v.constituency_id)?.region_id, v.region_id);
    }
  });

  test('all votes have a well-formed method and stations exist', () => {
    const stations = new Set(election.pollingStations.map((s) => s.polling_station_id));
    for (const v of all) assert.ok(stations.has(v.polling_station_id));
  });
});
