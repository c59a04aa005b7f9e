/**
 * When votes are cast on polling day.
 *
 * In person and by proxy, voters come before work (a peak near 08:00), at
 * lunchtime, and most after work (17:00-19:00). Postal and early ballots were
 * filled in before the day; `cast_at` is when each enters the count, which
 * the returning officers do at a steady pace through opening hours. So every
 * vote's cast_at lies in [opens_at, closes_at) and a producer can replay the
 * day at any speed.
 */
import type { VoteMethod } from './model.ts';
import { cumulative, type Random, searchCumulative } from './random.ts';
import type { Scenario } from './scenarios.ts';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

export interface PollingDay {
  /** Epoch millis UTC at which polls open. */
  opensAt: number;
  /** Epoch millis UTC at which polls close (exclusive). */
  closesAt: number;
  /** closesAt - opensAt. */
  lengthMs: number;
  /** Cumulative share of in-person voters arriving in each minute of opening. */
  queueCurve: Float64Array;
}

export function pollingDay(scenario: Scenario): PollingDay {
  const midnight = Date.parse(`${scenario.pollingDay.date}T00:00:00Z`);
  const opensAt = midnight + scenario.pollingDay.opensHour * HOUR_MS;
  const closesAt = midnight + scenario.pollingDay.closesHour * HOUR_MS;
  const minutes = (closesAt - opensAt) / MINUTE_MS;
  const weights = Array.from({ length: minutes }, (_, m) =>
    arrivalRate(scenario.pollingDay.opensHour + (m + 0.5) / 60),
  );
  return { opensAt, closesAt, lengthMs: closesAt - opensAt, queueCurve: cumulative(weights) };
}

/** Relative rate of in-person arrivals at a time of day (hours, 0-24): a base plus three bumps. */
export function arrivalRate(hour: number): number {
  const bump = (centre: number, width: number, height: number) =>
    height * Math.exp(-(((hour - centre) / width) ** 2) / 2);
  return 0.45 + bump(8, 1, 0.9) + bump(12.75, 0.8, 0.35) + bump(18, 1.3, 1.1);
}

/** Milliseconds after opening at which a vote by `method` is cast: in [0, lengthMs - 2], leaving room for a strictly later repeat. */
export function castOffset(day: PollingDay, method: VoteMethod, random: Random): number {
  const lastMs = day.lengthMs - 2;
  if (method === 'postal' || method === 'early') return Math.floor(random.next() * lastMs);
  const minute = searchCumulative(day.queueCurve, random.next());
  return Math.min(lastMs, minute * MINUTE_MS + Math.floor(random.next() * MINUTE_MS));
}
