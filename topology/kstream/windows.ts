/**
 * Window definitions with Kafka Streams' arithmetic: time windows are
 * [start, start + size), aligned to the epoch, advancing by `advanceMs`
 * (tumbling when advance = size); a record is too late for a window once
 * stream time >= window end + grace. Sessions close gap + grace after their
 * end. Join windows accept the other side within [t - before, t + after].
 */

/** Default grace of the legacy factories (Kafka Streams' 24h minus the window size). */
const LEGACY_GRACE_MS = 24 * 60 * 60 * 1000;

export class TimeWindows {
  private constructor(
    readonly sizeMs: number,
    readonly advanceMs: number,
    readonly graceMs: number,
  ) {
    if (!(sizeMs > 0)) throw new RangeError(`window size must be positive, got ${sizeMs}`);
    if (!(advanceMs > 0 && advanceMs <= sizeMs))
      throw new RangeError(`window advance must be in (0, size], got ${advanceMs}`);
    if (!(graceMs >= 0)) throw new RangeError(`grace period must not be negative, got ${graceMs}`);
  }

  static ofSizeWithNoGrace(sizeMs: number): TimeWindows {
    return new TimeWindows(sizeMs, sizeMs, 0);
  }

  static ofSizeAndGrace(sizeMs: number, graceMs: number): TimeWindows {
    return new TimeWindows(sizeMs, sizeMs, graceMs);
  }

  /** The deprecated `TimeWindows.of(size)`: grace is 24h minus the size. ksqlDB uses it when no GRACE PERIOD is given. */
  static of(sizeMs: number): TimeWindows {
    return new TimeWindows(sizeMs, sizeMs, Math.max(LEGACY_GRACE_MS - sizeMs, 0));
  }

  /** Hopping windows. */
  advanceBy(advanceMs: number): TimeWindows {
    return new TimeWindows(this.sizeMs, advanceMs, this.graceMs);
  }

  /** Start of the oldest window that contains `timestamp`; the others follow every `advanceMs` up to `timestamp`. */
  firstWindowStart(timestamp: number): number {
    return Math.floor(Math.max(0, timestamp - this.sizeMs + this.advanceMs) / this.advanceMs) * this.advanceMs;
  }

  /** Starts of the windows that contain `timestamp`, oldest first. */
  windowStartsFor(timestamp: number): number[] {
    let start = this.firstWindowStart(timestamp);
    const out: number[] = [];
    while (start <= timestamp) {
      out.push(start);
      start += this.advanceMs;
    }
    return out;
  }
}

export class SessionWindows {
  private constructor(
    readonly gapMs: number,
    readonly graceMs: number,
  ) {
    if (!(gapMs > 0)) throw new RangeError(`inactivity gap must be positive, got ${gapMs}`);
    if (!(graceMs >= 0)) throw new RangeError(`grace period must not be negative, got ${graceMs}`);
  }

  static ofInactivityGapWithNoGrace(gapMs: number): SessionWindows {
    return new SessionWindows(gapMs, 0);
  }

  static ofInactivityGapAndGrace(gapMs: number, graceMs: number): SessionWindows {
    return new SessionWindows(gapMs, graceMs);
  }

  /** The deprecated `SessionWindows.with(gap)`: grace is 24h minus the gap. */
  static with(gapMs: number): SessionWindows {
    return new SessionWindows(gapMs, Math.max(LEGACY_GRACE_MS - gapMs, 0));
  }
}

export class JoinWindows {
  private constructor(
    readonly beforeMs: number,
    readonly afterMs: number,
    readonly graceMs: number,
    /**
     * Left/outer joins hold non-joined records until their window closes and
     * emit them then (Kafka Streams 3.x). The legacy `of()` emits them at once.
     */
    readonly spuriousResultFix: boolean,
  ) {
    if (beforeMs + afterMs < 0) throw new RangeError('join window size must not be negative');
  }

  static ofTimeDifferenceWithNoGrace(differenceMs: number): JoinWindows {
    return new JoinWindows(differenceMs, differenceMs, 0, true);
  }

  static ofTimeDifferenceAndGrace(differenceMs: number, graceMs: number): JoinWindows {
    return new JoinWindows(differenceMs, differenceMs, graceMs, true);
  }

  /** The deprecated `JoinWindows.of(difference)`: 24h grace minus the window, left/outer results emitted eagerly. */
  static of(differenceMs: number): JoinWindows {
    return new JoinWindows(differenceMs, differenceMs, Math.max(LEGACY_GRACE_MS - 2 * differenceMs, 0), false);
  }

  before(ms: number): JoinWindows {
    return new JoinWindows(ms, this.afterMs, this.graceMs, this.spuriousResultFix);
  }

  after(ms: number): JoinWindows {
    return new JoinWindows(this.beforeMs, ms, this.graceMs, this.spuriousResultFix);
  }

  get sizeMs(): number {
    return this.beforeMs + this.afterMs;
  }
}
