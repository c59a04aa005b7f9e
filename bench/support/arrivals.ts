/**
 * Latency from counters: votes are sent at known times, and a counter (a
 * total in PostgreSQL, or on the dashboard) is observed as it grows. The
 * k-th vote's latency is the time the counter first reached `base + k`
 * minus the k-th vote's send time. Votes are processed in parallel over
 * partitions, so the k-th counted need not be the k-th sent; with votes all
 * alike, the figure is what a watcher of the counter experiences.
 */

/** A counter's value, seen at `at` (performance.now()). */
export interface Observation {
  at: number;
  total: number;
}

export interface Latencies {
  /** Milliseconds, one per vote seen counted, in send order. */
  values: number[];
  /** Votes the counter never reached. */
  missing: number;
}

/** `sentAt[k]` is the send time of the (k+1)-th vote; observations in time order. */
export function latencies(sentAt: readonly number[], observations: readonly Observation[], base: number): Latencies {
  const values: number[] = [];
  let j = 0;
  for (const [k, sent] of sentAt.entries()) {
    const wanted = base + k + 1;
    while (j < observations.length && (observations[j]?.total ?? 0) < wanted) j++;
    const seen = observations[j];
    if (!seen) return { values, missing: sentAt.length - k };
    values.push(seen.at - sent);
  }
  return { values, missing: 0 };
}

/** The p-quantile (0..1) by nearest rank; NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}
