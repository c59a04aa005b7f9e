import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createElection, resolveScenario, SCENARIO_NAMES, SCENARIOS } from './index.ts';

describe('scenarios', () => {
  test('are all valid', () => {
    for (const name of SCENARIO_NAMES) assert.deepEqual(resolveScenario(name), SCENARIOS[name]);
  });

  test('size the geography and the ballots', () => {
    const expectations = [
      { name: 'small', regions: 3, constituencies: 10, candidatesPerSeat: 4 },
      { name: 'national', regions: 12, constituencies: 150 },
      { name: 'presidential', regions: 8, constituencies: 40 },
    ] as const;
    for (const expected of expectations) {
      const e = createElection({ scenario: expected.name, seed: 1, overrides: { voters: 500 } });
      assert.equal(e.regions.length, expected.regions);
      assert.equal(e.constituencies.length, expected.constituencies);
      const { min, max } = e.scenario.stationsPerConstituency;
      for (const c of e.constituencies) {
        const stations = e.pollingStations.filter((s) => s.constituency_id === c.constituency_id).length;
        assert.ok(stations >= min && stations <= max);
      }
      for (const r of e.regions) assert.ok(e.constituencies.some((c) => c.region_id === r.region_id));
    }
    assert.equal(createElection({ scenario: 'small', overrides: { voters: 10 } }).candidates.length, 40);
  });

  test('default voter counts', () => {
    assert.equal(SCENARIOS.small.voters, 5_000);
    assert.equal(SCENARIOS.national.voters, 1_000_000);
    assert.equal(SCENARIOS.presidential.voters, 250_000);
  });

  test('parliamentary: one candidate per standing party per constituency', () => {
    const e = createElection({ scenario: 'national', seed: 2, overrides: { voters: 500 } });
    for (const c of e.constituencies) {
      const parties = e.candidates.filter((k) => k.constituency_id === c.constituency_id).map((k) => k.party_id);
      assert.equal(new Set(parties).size, parties.length);
      assert.ok(parties.length >= 5);
    }
  });

  test('presidential: a few national candidates on every ballot', () => {
    const e = createElection({ scenario: 'presidential', seed: 2, overrides: { voters: 3_000 } });
    assert.equal(e.candidates.length, 3);
    for (const c of e.candidates) {
      assert.equal(c.constituency_id, null);
      assert.equal(c.region_id, null);
    }
    const truth = e.truth();
    assert.equal(Object.keys(truth.votes_by_candidate).length, 3);
    assert.ok(truth.leading_candidate);
  });

  test('overrides merge into the named scenario', () => {
    const s = resolveScenario('small', { voters: 123, integrity: { malformed: 0.5 }, pollingDay: { closesHour: 20 } });
    assert.equal(s.voters, 123);
    assert.equal(s.integrity.malformed, 0.5);
    assert.equal(s.integrity.repeatVotes, SCENARIOS.small.integrity.repeatVotes);
    assert.equal(s.pollingDay.closesHour, 20);
    assert.equal(s.pollingDay.opensHour, 7);
  });

  test('invalid scenarios are refused with a reason', () => {
    assert.throws(() => resolveScenario('small', { constituencies: 2 }), /every region needs a constituency/);
    assert.throws(() => resolveScenario('small', { pollingDay: { opensHour: 22 } }), /open before they close/);
    assert.throws(() => resolveScenario('small', { voters: 0 }), /voters/);
    assert.throws(() => resolveScenario('small', { parties: ['CPP', 'XYZ'] }), /parties/);
    assert.throws(() => resolveScenario('nope' as never), /unknown scenario nope/);
  });

  test('polling hours come from the scenario', () => {
    const e = createElection({ scenario: 'small', overrides: { pollingDay: { opensHour: 8, closesHour: 20 } } });
    assert.equal(new Date(e.polling.opens_at).toISOString(), '2026-05-07T08:00:00.000Z');
    assert.equal(new Date(e.polling.closes_at).toISOString(), '2026-05-07T20:00:00.000Z');
    for (const event of e.votes()) {
      assert.ok(event.timestamp >= e.polling.opens_at && event.timestamp < e.polling.closes_at);
    }
  });
});
