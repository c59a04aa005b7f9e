/**
 * When each record is due. Backfill sends everything at once; a rate sends
 * record n at n / rate seconds; a speed factor replays polling day by event
 * time, compressed: a record cast t ms after the polls opened is due t /
 * speed ms after the start (at 60, the day's 15 hours play in 15 minutes).
 */
export type Pace =
  | { kind: 'backfill' }
  | { kind: 'rate'; perSecond: number }
  | {
      kind: 'speed';
      factor: number;
      /** Event time that maps to the start: polls opening; by default the first record's (a resumed run). */
      origin?: number;
    };

export class Pacer {
  private readonly startedAt: number;
  private origin: number | undefined;

  constructor(
    readonly pace: Pace,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.startedAt = clock();
    if (pace.kind === 'speed') this.origin = pace.origin;
  }

  /** Milliseconds until record `index`, of event time `timestamp`, is due; 0 or less means now. */
  dueIn(index: number, timestamp: number): number {
    const pace = this.pace;
    if (pace.kind === 'backfill') return 0;
    if (pace.kind === 'rate') return this.startedAt + (index * 1000) / pace.perSecond - this.clock();
    this.origin ??= timestamp;
    const dueAfter = (timestamp - this.origin) / pace.factor;
    return this.startedAt + dueAfter - this.clock();
  }
}

/** A human description of a pace, for the start line. */
export function describePace(pace: Pace): string {
  switch (pace.kind) {
    case 'backfill':
      return 'as fast as possible';
    case 'rate':
      return `${pace.perSecond.toLocaleString('en')} records/s`;
    case 'speed':
      return `polling day at ${pace.factor}x`;
  }
}
