/**
 * What the pipeline-health panel shows besides Kafka's lag: when the sink
 * last changed a table (freshness), and how fast votes are being counted,
 * both computed from the changes the dashboard sees.
 */
import type { ChangeFeed } from '../changes/change-feed.ts';

interface Sample {
  at: number;
  votes: number;
}

export class PipelineMonitor {
  #lastChangeAt?: number;
  #samples: Sample[] = [];

  constructor(
    /** The span over which the counting rate is averaged. */
    readonly windowMs = 10_000,
  ) {}

  /** Notes every change of a table the feed announces; returns the function that stops. */
  watch(feed: ChangeFeed): () => void {
    return feed.subscribe((event) => {
      if (event.kind === 'rows') this.noteChange();
    });
  }

  noteChange(at = Date.now()): void {
    this.#lastChangeAt = at;
  }

  get lastChangeAt(): number | undefined {
    return this.#lastChangeAt;
  }

  /** Milliseconds since the last change, or undefined before any. */
  freshness(now = Date.now()): number | undefined {
    return this.#lastChangeAt === undefined ? undefined : Math.max(0, now - this.#lastChangeAt);
  }

  /** Records the votes counted so far (the totals panel does, at each of its renders). */
  noteVotesCounted(votes: number, at = Date.now()): void {
    const last = this.#samples.at(-1);
    if (last && last.votes === votes) return;
    this.#samples.push({ at, votes });
    // Keep one sample older than the window, as the rate's starting point.
    while (this.#samples.length > 2 && (this.#samples[1]?.at ?? at) < at - this.windowMs) this.#samples.shift();
  }

  /** Votes counted per second over the last window; 0 when nothing was counted in it. */
  votesPerSecond(now = Date.now()): number {
    const last = this.#samples.at(-1);
    const first = this.#samples[0];
    if (!last || !first || last === first || last.at < now - this.windowMs) return 0;
    const start = Math.max(first.at, now - this.windowMs);
    const seconds = Math.max(1, now - start) / 1000;
    // The votes counted since the window began, at most: the sample before it is the baseline.
    return Math.max(0, last.votes - first.votes) / Math.max(seconds, (last.at - first.at) / 1000);
  }
}
