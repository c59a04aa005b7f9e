import assert from 'node:assert/strict';
import { test } from 'node:test';
import { latencies, percentile } from './arrivals.ts';

test("each vote's latency is the first reading that counts it, minus its send time", () => {
  const sentAt = [0, 10, 20, 30];
  // Base 100: the first two votes seen together at 50, the third at 70, the fourth never.
  const observations = [
    { at: 5, total: 100 },
    { at: 50, total: 102 },
    { at: 60, total: 102 },
    { at: 70, total: 103 },
  ];
  assert.deepEqual(latencies(sentAt, observations, 100), { values: [50, 40, 50], missing: 1 });
});

test('readings at or below the base count no vote', () => {
  assert.deepEqual(latencies([0], [{ at: 1, total: 7 }], 7), { values: [], missing: 1 });
  assert.deepEqual(latencies([], [{ at: 1, total: 7 }], 0), { values: [], missing: 0 });
});

test('percentile by nearest rank; NaN without values', () => {
  const values = Array.from({ length: 100 }, (_, i) => 100 - i);
  assert.equal(percentile(values, 0.5), 51);
  assert.equal(percentile(values, 0.99), 100);
  assert.ok(Number.isNaN(percentile([], 0.5)));
});
