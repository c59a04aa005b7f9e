import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describePace, Pacer } from './pacing.ts';

function fakeClock(start = 1_000) {
  const clock = { now: start, read: () => clock.now };
  return clock;
}

test('backfill: every record is due at once', () => {
  const pacer = new Pacer({ kind: 'backfill' });
  assert.equal(pacer.dueIn(1_000_000, 0), 0);
});

test('a rate spaces records evenly from the start', () => {
  const clock = fakeClock();
  const pacer = new Pacer({ kind: 'rate', perSecond: 100 }, clock.read);
  assert.equal(pacer.dueIn(0, 0), 0);
  assert.equal(pacer.dueIn(50, 0), 500);
  clock.now += 600;
  assert.equal(pacer.dueIn(50, 0), -100, 'late records are due now');
});

test('a speed factor maps event time after the polls opened onto wall time', () => {
  const clock = fakeClock();
  const opens = Date.parse('2026-05-07T07:00:00Z');
  const pacer = new Pacer({ kind: 'speed', factor: 60, origin: opens }, clock.read);
  // An hour after opening plays one minute after the start.
  assert.equal(pacer.dueIn(0, opens + 3_600_000), 60_000);
  clock.now += 30_000;
  assert.equal(pacer.dueIn(0, opens + 3_600_000), 30_000);
});

test('paces are described for people', () => {
  assert.equal(describePace({ kind: 'backfill' }), 'as fast as possible');
  assert.equal(describePace({ kind: 'rate', perSecond: 2500 }), '2,500 records/s');
  assert.equal(describePace({ kind: 'speed', factor: 60, origin: 0 }), 'polling day at 60x');
});
